using BenchmarkDotNet.Running;
using Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- --filter '*'    (all benchmarks; see docs/performance.md)
// dotnet run -c Release --project tests/Benchmarks -- plain-loop [calls]    (sampler ratios from plain calls)
if (args is ["plain-loop", ..])
    PlainLoopRatios.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30);
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
