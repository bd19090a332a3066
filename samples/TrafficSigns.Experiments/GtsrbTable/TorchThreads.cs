using static TorchSharp.torch;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>Sets libtorch's intra-op thread count until disposed, then restores it; 0 leaves it as it is.</summary>
internal sealed class TorchThreads : IDisposable
{
    private readonly int _previous;

    private TorchThreads(int threads)
    {
        _previous = get_num_threads();
        if (threads > 0)
            set_num_threads(threads);
    }

    public static TorchThreads Use(int threads) => new(threads);

    public void Dispose() => set_num_threads(_previous);
}
