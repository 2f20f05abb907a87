using System.Diagnostics;
using Harness.Core.Runtime;
using Spectre.Console;

namespace Harness.Experiments.Cli;

/// <summary>
/// Progress for long loops. On a terminal: a Spectre.Console bar with rate and ETA; otherwise (CI, pipes) plain
/// lines at most every few seconds, so logs stay readable.
/// </summary>
public static class ConsoleProgress
{
    /// <summary>Runs body with a progress reporter suited to the console, returning its result.</summary>
    public static T Run<T>(Func<IProgressReporter, T> body)
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected)
            return body(new LineProgress(Console.Out));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => result = body(new BarProgress(ctx)));
        return result;
    }

    private sealed class BarProgress(ProgressContext context) : IProgressReporter
    {
        public IProgressTask Start(string description, long total)
        {
            var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
            return new Task(task, description);
        }

        private sealed class Task(ProgressTask task, string description) : IProgressTask
        {
            public void Advance(long steps = 1) => task.Increment(steps);
            public void Describe(string status) => task.Description = Markup.Escape($"{description} {status}");
            public void Dispose() => task.StopTask();
        }
    }

    /// <summary>A duration as h:mm:ss, with days in front past 24 hours (1d 02:00:00), never wrapping.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        var clock = $"{span.Hours:00}:{span.Minutes:00}:{span.Seconds:00}";
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {clock}" : clock;
    }

    public sealed class LineProgress(TextWriter writer) : IProgressReporter
    {
        public IProgressTask Start(string description, long total) => new Task(writer, description, total);

        private sealed class Task(TextWriter writer, string description, long total) : IProgressTask
        {
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            private TimeSpan _lastPrinted = TimeSpan.Zero;
            private long _done;
            private string _status = "";
            private string? _printedStatus;

            public void Advance(long steps = 1)
            {
                _done += steps;
                if (_clock.Elapsed - _lastPrinted >= TimeSpan.FromSeconds(5) || _done >= total) Print();
            }

            public void Describe(string status) => _status = status;

            private void Print()
            {
                _lastPrinted = _clock.Elapsed;
                _printedStatus = _status;
                double rate = _done / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
                var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Min((total - _done) / rate, 1e9)) : TimeSpan.Zero;
                writer.WriteLine($"  {description}: {_done}/{total} ({100.0 * _done / Math.Max(1, total):F0}%), " +
                                 $"{rate:F1}/s, eta {Duration(eta)} {_status}".TrimEnd());
            }

            // The last step's status (a final epoch's validation, say) is often described after its Advance.
            public void Dispose()
            {
                if (_done > 0 && (_done < total || _status != _printedStatus)) Print();
            }
        }
    }
}
