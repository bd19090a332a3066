using Ml.Transforms.Imaging;

namespace TrafficSigns.Data;

/// <summary>
/// Image files decoded strictly before ML.NET's lenient <c>LoadImages</c> sees them (evaluation, scoring), in parallel:
/// what is wrong with each one that cannot be decoded, naming it.
/// </summary>
internal static class ImageFileCheck
{
    /// <summary>For each path, in order: null when it decodes, else the message naming the file and what is wrong.</summary>
    public static string?[] Problems(IReadOnlyList<string> paths, CancellationToken cancellation)
    {
        var problems = new string?[paths.Count];
        Parallel.For(0, paths.Count, new ParallelOptions { CancellationToken = cancellation }, i =>
        {
            try
            {
                ImageFiles.Decode(paths[i]).Dispose();
            }
            catch (InvalidDataException e)
            {
                problems[i] = e.Message;
            }
        });
        return problems;
    }
}
