using static TorchSharp.torch;

namespace TrafficSigns.Experiments.Tests.Support;

/// <summary>
/// Runs libtorch's intra-op work on one thread until disposed, then restores the previous count. The alignment loops
/// run thousands of small-tensor steps; on a loaded 2-core machine libtorch's worker threads spin-wait for each other
/// and a 2-thread run was measured 10–20× slower than a 1-thread one (42 s against 2.3 s for the same recall cells).
/// Test methods run one at a time in this assembly, so the process-wide setting is safe to change around a test.
/// </summary>
internal sealed class SingleThreadedTorch : IDisposable
{
    private readonly int _previous = get_num_threads();

    public SingleThreadedTorch() => set_num_threads(1);

    public void Dispose() => set_num_threads(_previous);
}
