using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Harness.Core.Learned;

/// <summary>
/// One GRU cell step over feature-major columns (x [I, R], h [H, R] → h' [H, R]) in a single pass of vectorised C#,
/// for g's steps without autograd on the CPU (meta-testing, comparisons, validation). The same equations as
/// torch.nn.GRUCell; libtorch's version needs two matrix products and about ten element-wise passes, each writing a
/// [H, R] or [3H, R] temporary, and those allocations and memory passes cost more than the arithmetic here.
/// Every column is computed on its own in a fixed order, so the result does not depend on the thread count.
/// AVX-512 only (measured here: 11 ms per step for 30 tasks against 26 ms with Vector256, which ran out of registers);
/// without it the network keeps libtorch's path.
/// </summary>
internal static unsafe class GruColumnsKernel
{
    private const int Lanes = 16;                // floats per Vector512
    private const int VectorsPerBlock = 2;      // two accumulator chains per gate (six per loop) hide the FMA latency
    private const int Block = Lanes * VectorsPerBlock;

    /// <summary>True where the CPU runs 512-bit vectors natively (elsewhere Vector512 would be emulated, slowly).</summary>
    public static bool Supported => Vector512.IsHardwareAccelerated;

    /// <summary>
    /// One cell's weights reordered for the kernel: per hidden unit j and input k (x first, then h), the r, z and n
    /// weights side by side. With a head (g's output layer, [O, H] and [O]), the kernel also writes head(h').
    /// </summary>
    public sealed class PackedWeights
    {
        public PackedWeights(float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh, int inputs, int hidden,
            float[]? headWeight = null, float[]? headBias = null)
        {
            Inputs = inputs;
            Hidden = hidden;
            int k = inputs + hidden;
            Weights = new float[hidden * k * 3];
            for (int j = 0; j < hidden; j++)
                for (int c = 0; c < k; c++)
                    for (int gate = 0; gate < 3; gate++)
                        Weights[(j * k + c) * 3 + gate] = c < inputs
                            ? weightIh[(gate * hidden + j) * inputs + c]
                            : weightHh[(gate * hidden + j) * hidden + c - inputs];
            // r and z add both biases; n keeps them apart because r multiplies only the hidden part.
            Biases = new float[4 * hidden];
            for (int j = 0; j < hidden; j++)
            {
                Biases[j] = biasIh[j] + biasHh[j];
                Biases[hidden + j] = biasIh[hidden + j] + biasHh[hidden + j];
                Biases[2 * hidden + j] = biasIh[2 * hidden + j];
                Biases[3 * hidden + j] = biasHh[2 * hidden + j];
            }
            if (headWeight is not null && headBias is not null)
            {
                if (headWeight.Length != headBias.Length * hidden) throw new ArgumentException("head weight must be [O, H] for a bias [O]");
                Outputs = headBias.Length;
                HeadWeight = headWeight;
                HeadBias = headBias;
            }
        }

        public int Inputs { get; }
        public int Hidden { get; }
        public int Outputs { get; }
        public float[] Weights { get; }
        public float[] Biases { get; }
        public float[] HeadWeight { get; } = [];
        public float[] HeadBias { get; } = [];
    }

    /// <summary>Row-major buffers of one call, all with the same number of columns (stride).</summary>
    private readonly record struct Buffers(nint X, nint H, nint HiddenOut, nint HeadOut, long Stride);

    /// <summary>
    /// h' [H, R] from x [I, R] and h [H, R]; with head weights also head(h') [O, R] into headOutput.
    /// All buffers are contiguous and row-major with R columns.
    /// </summary>
    public static void Step(PackedWeights w, float* x, float* h, float* hiddenOutput, float* headOutput, long columns, int threads)
    {
        if (w.Outputs > 0 && headOutput == null) throw new ArgumentException("a head needs an output buffer");
        var buffers = new Buffers((nint)x, (nint)h, (nint)hiddenOutput, (nint)headOutput, columns);
        long blocks = columns / Block;
        if (threads <= 1 || blocks < 2)
        {
            for (long c = 0; c < blocks * Block; c += Block) Columns(w, buffers, c);
        }
        else
        {
            long perThread = (blocks + threads - 1) / threads;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                long end = Math.Min(blocks, (t + 1) * perThread) * Block;
                for (long c = t * perThread * Block; c < end; c += Block) Columns(w, buffers, c);
            });
        }
        long done = blocks * Block;
        if (done < columns) Tail(w, buffers, done);
    }

    /// <summary>The last columns (fewer than a block): copied into a zero-padded block, computed, copied back.</summary>
    private static void Tail(PackedWeights w, Buffers buffers, long start)
    {
        int n = (int)(buffers.Stride - start);
        var bx = new float[w.Inputs * Block];
        var bh = new float[w.Hidden * Block];
        var bo = new float[w.Hidden * Block];
        var bhead = new float[Math.Max(1, w.Outputs) * Block];
        static void Gather(nint source, long stride, long start, int n, int rows, float[] target)
        {
            for (int k = 0; k < rows; k++) new ReadOnlySpan<float>((float*)source + k * stride + start, n).CopyTo(target.AsSpan(k * Block));
        }
        static void Scatter(float[] source, int rows, nint target, long stride, long start, int n)
        {
            for (int k = 0; k < rows; k++) source.AsSpan(k * Block, n).CopyTo(new Span<float>((float*)target + k * stride + start, n));
        }
        Gather(buffers.X, buffers.Stride, start, n, w.Inputs, bx);
        Gather(buffers.H, buffers.Stride, start, n, w.Hidden, bh);
        fixed (float* px = bx) fixed (float* ph = bh) fixed (float* po = bo) fixed (float* phead = bhead)
            Columns(w, new Buffers((nint)px, (nint)ph, (nint)po, (nint)phead, Block), 0);
        Scatter(bo, w.Hidden, buffers.HiddenOut, buffers.Stride, start, n);
        if (w.Outputs > 0) Scatter(bhead, w.Outputs, buffers.HeadOut, buffers.Stride, start, n);
    }

    /// <summary>One block of 32 columns starting at column c: all hidden units, inputs loaded once into the stack.</summary>
    [SkipLocalsInit]
    private static void Columns(PackedWeights weights, Buffers buffers, long c)
    {
        int inputs = weights.Inputs, hidden = weights.Hidden, k = inputs + hidden, outputs = weights.Outputs;
        long stride = buffers.Stride;
        float* x = (float*)buffers.X, h = (float*)buffers.H, o = (float*)buffers.HiddenOut;
        var v = stackalloc Vector512<float>[k * VectorsPerBlock];
        var head = stackalloc Vector512<float>[Math.Max(1, outputs) * VectorsPerBlock];
        for (int i = 0; i < k; i++)
        {
            float* row = i < inputs ? x + i * stride + c : h + (i - inputs) * stride + c;
            for (int q = 0; q < VectorsPerBlock; q++) v[VectorsPerBlock * i + q] = Vector512.Load(row + q * Lanes);
        }
        fixed (float* w = weights.Weights)
        fixed (float* b = weights.Biases)
        fixed (float* hw = weights.HeadWeight)
        fixed (float* hb = weights.HeadBias)
        {
            for (int q = 0; q < outputs; q++) head[VectorsPerBlock * q] = head[VectorsPerBlock * q + 1] = Vector512.Create(hb[q]);
            for (int j = 0; j < hidden; j++)
            {
                var r0 = Vector512.Create(b[j]); var r1 = r0;
                var z0 = Vector512.Create(b[hidden + j]); var z1 = z0;
                var n0 = Vector512.Create(b[2 * hidden + j]); var n1 = n0;   // W_in x + b_in
                var m0 = Vector512.Create(b[3 * hidden + j]); var m1 = m0;   // W_hn h + b_hn
                float* wj = w + j * k * 3;
                for (int i = 0; i < inputs; i++)
                {
                    var p = v + VectorsPerBlock * i;
                    var wr = Vector512.Create(wj[3 * i]);
                    r0 = Vector512.FusedMultiplyAdd(wr, p[0], r0); r1 = Vector512.FusedMultiplyAdd(wr, p[1], r1);
                    var wz = Vector512.Create(wj[3 * i + 1]);
                    z0 = Vector512.FusedMultiplyAdd(wz, p[0], z0); z1 = Vector512.FusedMultiplyAdd(wz, p[1], z1);
                    var wn = Vector512.Create(wj[3 * i + 2]);
                    n0 = Vector512.FusedMultiplyAdd(wn, p[0], n0); n1 = Vector512.FusedMultiplyAdd(wn, p[1], n1);
                }
                for (int i = inputs; i < k; i++)
                {
                    var p = v + VectorsPerBlock * i;
                    var wr = Vector512.Create(wj[3 * i]);
                    r0 = Vector512.FusedMultiplyAdd(wr, p[0], r0); r1 = Vector512.FusedMultiplyAdd(wr, p[1], r1);
                    var wz = Vector512.Create(wj[3 * i + 1]);
                    z0 = Vector512.FusedMultiplyAdd(wz, p[0], z0); z1 = Vector512.FusedMultiplyAdd(wz, p[1], z1);
                    var wn = Vector512.Create(wj[3 * i + 2]);
                    m0 = Vector512.FusedMultiplyAdd(wn, p[0], m0); m1 = Vector512.FusedMultiplyAdd(wn, p[1], m1);
                }
                var hj = v + VectorsPerBlock * (inputs + j);
                var h0 = Cell(r0, z0, n0, m0, hj[0]);
                var h1 = Cell(r1, z1, n1, m1, hj[1]);
                float* oj = o + j * stride + c;
                Vector512.Store(h0, oj);
                Vector512.Store(h1, oj + Lanes);
                for (int q = 0; q < outputs; q++)
                {
                    var wq = Vector512.Create(hw[q * hidden + j]);
                    head[VectorsPerBlock * q] = Vector512.FusedMultiplyAdd(wq, h0, head[VectorsPerBlock * q]);
                    head[VectorsPerBlock * q + 1] = Vector512.FusedMultiplyAdd(wq, h1, head[VectorsPerBlock * q + 1]);
                }
            }
        }
        float* headOut = (float*)buffers.HeadOut;
        for (int q = 0; q < outputs; q++)
        {
            Vector512.Store(head[VectorsPerBlock * q], headOut + q * stride + c);
            Vector512.Store(head[VectorsPerBlock * q + 1], headOut + q * stride + c + Lanes);
        }
    }

    /// <summary>r = σ(·), z = σ(·), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = n + z ⊙ (h − n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Cell(Vector512<float> r, Vector512<float> z, Vector512<float> nInput, Vector512<float> nHidden, Vector512<float> h)
    {
        r = Sigmoid(r);
        z = Sigmoid(z);
        var n = Tanh(Vector512.FusedMultiplyAdd(r, nHidden, nInput));
        return Vector512.FusedMultiplyAdd(z, h - n, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    /// <summary>tanh(x) = 2σ(2x) − 1 (absolute error below 1e-7, which is what a GRU state needs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tanh(Vector512<float> x)
    {
        var two = Vector512.Create(2f);
        return two * Sigmoid(two * x) - Vector512<float>.One;
    }

    /// <summary>
    /// e^x for float lanes (Cephes expf: Cody-Waite reduction by ln 2, degree-6 polynomial; about 1 ulp).
    /// .NET's Vector512.Exp is slower here because it widens to double. Inputs are clamped to the float range,
    /// so σ saturates at exactly 0 or 1 instead of producing NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.3f)), Vector512.Create(88.3f));
        var n = Vector512.Round(x * Vector512.Create(1.44269504088896341f));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p * r, r, r) + Vector512<float>.One;
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23);
        return p * scale.AsSingle();
    }
}
