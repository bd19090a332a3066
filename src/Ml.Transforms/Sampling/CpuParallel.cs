namespace Ml.Transforms.Sampling;

/// <summary>
/// Loop runner of the fused CPU kernels. libtorch's OpenMP threads keep spinning for a while after each libtorch op,
/// so .NET worker threads started between libtorch ops fight them for the cores; measured on 2 cores, a plain loop on
/// the calling thread was no slower than two workers (benchmarks of docs/performance.md). Set <see cref="MaxDegreeOfParallelism"/> above 1 to spread the kernels.
/// </summary>
internal static class CpuParallel
{
    public static int MaxDegreeOfParallelism { get; set; } = int.TryParse(Environment.GetEnvironmentVariable("MLLINEARIZED_KERNEL_THREADS"), out var n) && n > 0 ? n : 1;

    public static void For(long fromInclusive, long toExclusive, Action<long> body)
    {
        if (MaxDegreeOfParallelism <= 1)
        {
            for (long i = fromInclusive; i < toExclusive; i++)
                body(i);
            return;
        }
        Parallel.For(fromInclusive, toExclusive, new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism }, body);
    }
}
