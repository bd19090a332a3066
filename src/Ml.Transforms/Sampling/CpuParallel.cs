namespace Ml.Transforms.Sampling;

/// <summary>
/// Loop runner of the fused CPU kernels. libtorch's OpenMP threads keep spinning for a while after each libtorch op,
/// so .NET workers started between libtorch ops compete with them for the cores: on the 2-core machine of
/// docs/performance.md, two workers were no faster than a plain loop on the calling thread, which is the default.
/// <see cref="MaxDegreeOfParallelism"/> (or the MLLINEARIZED_KERNEL_THREADS environment variable) spreads the kernels.
/// Chunks never depend on the thread count, so results do not either.
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
