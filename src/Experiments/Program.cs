using Harness.Core.Runtime;
using Harness.Experiments.Cli;

// Before libtorch loads: keep freed native memory in the process (see NativeAllocator), and let OpenMP threads
// sleep between ops so that g's C# kernel gets both cores (see OpenMpWaitPolicy).
NativeAllocator.Tune();
OpenMpWaitPolicy.MakePassive();
CallerFolder.Enter();
return CliApp.Run(args);
