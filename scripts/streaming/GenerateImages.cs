#:project ../../src/Ml.Transforms/Ml.Transforms.csproj
#:property TargetFramework=net10.0
#:property PublishAot=false
// Image folders for the streaming benchmark (scripts/streaming/benchmark.sh, docs/performance.md "Reading the data"),
// written OUTSIDE the repository (they are large; delete them when done):
//   signs  <Kaggle Train folder> <out> <count> [subset,subset...]   GTSRB training images at their original sizes,
//          re-encoded with a small random warp (rotation ±6°, scale 0.92–1.08, shift ±8 %), two in three as PNG, one as
//          JPEG (quality 90), one subfolder per class: out/<classId>/<n>.png. Sources are taken in a seeded random order,
//          so any prefix is a sample of every class; each subset size k gets out-k/ of hard links to the first k images.
//   photos <photo,photo...> <out> <count> <width> <height>         large JPEGs (quality 90): random crops of each photo
//          (one label per photo), rotated and scaled up to width × height.
// usage: dotnet run scripts/streaming/GenerateImages.cs -- signs /work/data/gtsrb-kaggle/Train /work/stream-data/signs 200000 10000,50000
using System.Diagnostics;
using SkiaSharp;

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: GenerateImages.cs signs <Train folder> <out> <count> [subsets] | photos <photo,photo> <out> <count> <width> <height>");
    return 2;
}
var clock = Stopwatch.StartNew();
int count = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
if (args[0] == "signs")
{
    var sources = Directory.EnumerateFiles(args[1], "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
    new Random(0).Shuffle(sources);
    string output = args[2];
    var written = new string[count];
    Parallel.For(0, count, i =>
    {
        var random = new Random(i + 1);
        string source = sources[i % sources.Length];
        string label = Path.GetFileName(Path.GetDirectoryName(source)!);
        using var image = SKBitmap.Decode(source);
        using var warped = new SKBitmap(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(warped))
        {
            canvas.Clear(SKColors.Gray);
            float cx = image.Width / 2f, cy = image.Height / 2f, s = 0.92f + 0.16f * random.NextSingle();
            canvas.Translate(cx + (random.NextSingle() - 0.5f) * 0.16f * image.Width, cy + (random.NextSingle() - 0.5f) * 0.16f * image.Height);
            canvas.RotateDegrees((random.NextSingle() - 0.5f) * 12);
            canvas.Scale(s);
            canvas.Translate(-cx, -cy);
            using var picture = SKImage.FromBitmap(image);
            canvas.DrawImage(picture, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
        }
        bool jpeg = i % 3 == 2;
        Directory.CreateDirectory(Path.Combine(output, label));
        string path = Path.Combine(output, label, $"{i:D7}.{(jpeg ? "jpg" : "png")}");
        using var data = warped.Encode(jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, 90);
        File.WriteAllBytes(path, data.ToArray());
        written[i] = path;
    });
    foreach (var subset in args.Length > 4 ? args[4].Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)) : [])
    {
        string folder = $"{output}-{subset}";
        for (int i = 0; i < subset; i++)
        {
            string link = Path.Combine(folder, Path.GetRelativePath(output, written[i]));
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (link_(written[i], link) != 0)
                throw new IOException($"Could not link '{link}' to '{written[i]}' (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        }
    }
}
else if (args[0] == "photos")
{
    var photos = args[1].Split(',');
    int width = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), height = int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture);
    Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
    {
        var random = new Random(i + 1);
        string photo = photos[i % photos.Length];
        string label = Path.GetFileNameWithoutExtension(photo);
        using var image = SKBitmap.Decode(photo);
        using var large = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(large))
        {
            float zoom = Math.Max((float)width / image.Width, (float)height / image.Height) * (1.1f + 0.4f * random.NextSingle());
            canvas.Translate(width / 2f, height / 2f);
            canvas.RotateDegrees((random.NextSingle() - 0.5f) * 10);
            canvas.Scale(zoom);
            canvas.Translate(-image.Width / 2f + (random.NextSingle() - 0.5f) * 0.1f * image.Width, -image.Height / 2f + (random.NextSingle() - 0.5f) * 0.1f * image.Height);
            using var picture = SKImage.FromBitmap(image);
            canvas.DrawImage(picture, 0, 0, new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        // Sensor-like noise, so that the JPEGs are as hard to decode as real photographs.
        var pixels = large.GetPixelSpan().ToArray();
        for (int p = 0; p < pixels.Length; p++)
            if ((p & 3) != 3) pixels[p] = (byte)Math.Clamp(pixels[p] + random.Next(-6, 7), 0, 255);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, large.GetPixels(), pixels.Length);
        Directory.CreateDirectory(Path.Combine(args[2], label));
        using var data = large.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(Path.Combine(args[2], label, $"{i:D5}.jpg"), data.ToArray());
    });
}
else
{
    Console.Error.WriteLine($"Unknown kind '{args[0]}': signs or photos.");
    return 2;
}
Console.WriteLine($"{count} images in {clock.Elapsed.TotalSeconds:F0} s.");
return 0;

// A hard link (the subsets share the files): POSIX link(2).
[System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
static extern int link_(string existing, string link);
