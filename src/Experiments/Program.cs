using Harness.Core.Runtime;
using Harness.Experiments.Cli;

// Before libtorch allocates anything: keep freed native memory in the process (see NativeAllocator).
NativeAllocator.Tune();
return CliApp.Run(args);
