using static TorchSharp.torch;

namespace Ml.Trainers.Tests.Training;

/// <summary>
/// A small synthetic classification problem generated in memory (no files, no GTSRB): four bright shapes (square,
/// horizontal bar, vertical bar, cross) in a random colour, moved up to ±<c>size</c>/8 pixels from the centre, on dim
/// uniform noise. Seeded: the same arguments give the same images.
/// </summary>
internal static class SyntheticShapes
{
    public const int Classes = 4;

    /// <summary>(images (N, 3, size, size) float32 in [0, 1], labels (N) int64), the classes in turn.</summary>
    public static (Tensor Images, Tensor Labels) Create(int count, int size, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * 3 * size * size];
        var labels = new long[count];
        int plane = size * size, half = size / 4, thin = Math.Max(1, size / 10), shift = size / 8;
        for (int i = 0; i < count; i++)
        {
            int label = i % Classes;
            labels[i] = label;
            int cx = size / 2 + random.Next(-shift, shift + 1), cy = size / 2 + random.Next(-shift, shift + 1);
            var colour = new[] { 0.6f + 0.4f * random.NextSingle(), 0.6f + 0.4f * random.NextSingle(), 0.6f + 0.4f * random.NextSingle() };
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    int dx = Math.Abs(x - cx), dy = Math.Abs(y - cy);
                    bool inside = label switch
                    {
                        0 => dx <= half / 2 + 1 && dy <= half / 2 + 1,
                        1 => dx <= half && dy <= thin,
                        2 => dx <= thin && dy <= half,
                        _ => (dx <= half && dy <= thin) || (dx <= thin && dy <= half),
                    };
                    for (int c = 0; c < 3; c++)
                        pixels[i * 3 * plane + c * plane + y * size + x] = inside ? colour[c] : 0.3f * random.NextSingle();
                }
            }
        }
        return (tensor(pixels).view(count, 3, size, size), tensor(labels));
    }
}
