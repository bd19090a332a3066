using static TorchSharp.torch;

namespace Ml.Transforms.Sampling.Cpu;

/// <summary>
/// The seed of one call's <see cref="CounterNoise"/> stream: ONE draw from the libtorch generator (the options'
/// generator, else libtorch's global one), so seeding that generator repeats a run and every call advances it.
/// </summary>
internal static class NoiseSeed
{
    public static ulong Draw(Generator? generator) =>
        (ulong)randint(0, long.MaxValue, new long[] { 1 }, ScalarType.Int64, generator?.device ?? CPU, generator: generator).item<long>();
}
