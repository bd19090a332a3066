using static TorchSharp.torch;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// Loop runner of the fused CPU kernels: chunks [from, to) on the calling thread plus pool threads, up to
/// <see cref="MaxDegreeOfParallelism"/> at once, each chunk claimed whole by one thread. The kernels give every chunk
/// its own outputs and never let a value depend on which thread computed it, so results do not depend on the thread
/// count. Small jobs run on the calling thread: waking pool threads costs more than they save.
/// </summary>
internal static class CpuParallel
{
    /// <summary>Jobs below this much work (in the kernels' units, roughly one bilinear sample each) run serially.</summary>
    public const long SerialWork = 1 << 16;

    /// <summary>
    /// Threads a kernel may use. null (the default) = libtorch's intra-op thread count (<c>torch.get_num_threads()</c>),
    /// so <c>torch.set_num_threads</c> governs the fused kernels too; the MLLINEARIZED_KERNEL_THREADS environment
    /// variable overrides it.
    /// </summary>
    public static int? MaxDegreeOfParallelism { get; set; } =
        int.TryParse(Environment.GetEnvironmentVariable("MLLINEARIZED_KERNEL_THREADS"), out var n) && n > 0 ? n : null;

    /// <summary>Runs <paramref name="body"/> for every chunk in [from, to).</summary>
    /// <param name="fromInclusive">First chunk.</param>
    /// <param name="toExclusive">One past the last chunk.</param>
    /// <param name="work">Total work of all chunks; below <see cref="SerialWork"/> the loop runs on the calling thread.</param>
    /// <param name="body">The work of one chunk.</param>
    public static void For(long fromInclusive, long toExclusive, long work, Action<long> body)
    {
        int degree = MaxDegreeOfParallelism ?? get_num_threads();
        if (degree <= 1 || work < SerialWork || toExclusive - fromInclusive <= 1)
        {
            for (long i = fromInclusive; i < toExclusive; i++)
                body(i);
            return;
        }
        Parallel.For(fromInclusive, toExclusive, new ParallelOptions { MaxDegreeOfParallelism = degree }, body);
    }
}
