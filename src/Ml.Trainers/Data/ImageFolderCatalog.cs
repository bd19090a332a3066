using Microsoft.ML.Runtime;
using Ml.Trainers.Data;
using Ml.Transforms.MlNet;

namespace Microsoft.ML;

/// <summary>Catalog entries for your own images: a folder with one subfolder per label, and a stratified split of any data.</summary>
public static class ImageFolderCatalog
{
    /// <summary>
    /// Loads a folder with one subfolder per label (<c>folder/cat/1.jpg</c>, <c>folder/dog/2.png</c>) as rows of
    /// <c>ImagePath</c> (text, absolute path) and <c>Label</c> (text, the subfolder's name). Hidden files, other file
    /// types and images that cannot be decoded are left out and reported through <c>mlContext.Log</c> (use
    /// <see cref="ImageFolder.Read"/> for the list). Next: <c>MapValueToKey("Label")</c> and
    /// <c>LoadImages("Image", imageFolder: null, "ImagePath")</c>.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="folder">The root folder.</param>
    /// <param name="options">Extensions, decoding and column names; null = defaults (<see cref="ImageFolderOptions"/>).</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No label folder holds an image (the message says what was found instead).</exception>
    public static IDataView LoadFromImageFolder(this DataOperationsCatalog catalog, string folder, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var mlContext = CatalogContext.Of(catalog);
        var images = ImageFolder.Read(folder, options);
        using (var channel = ((IHostEnvironment)mlContext).Register(nameof(ImageFolder)).Start("Read"))
        {
            channel.Info(MessageSensitivity.None, $"Image folder '{images.Folder}': {images.Summary}.");
            foreach (var skipped in images.Skipped)
                channel.Info(MessageSensitivity.None, $"Skipped '{skipped.Path}': {skipped.Reason}.");
        }
        return images.ToDataView(mlContext);
    }

    /// <summary>
    /// Splits <paramref name="data"/> into train, validation and test parts with every label in every part, in about
    /// the same proportion (ML.NET's <c>TrainTestSplit</c> is not stratified: a small label can miss a part). Seeded: the
    /// same data and seed give the same parts. Rows keep their columns and order.
    /// </summary>
    /// <remarks>
    /// With <paramref name="groupColumnName"/>, rows that share a group (the frames of one video track, the photos of one
    /// session or patient) are never split across parts, so near-duplicates cannot leak from training into validation or
    /// test. The fractions are then of each label's groups: per label, its groups are shuffled and dealt out like rows
    /// (round(g·fraction), at least one per part). A group belongs to its most frequent label. A label with fewer groups
    /// than parts cannot be in every part: it keeps at least one group in training, then test, then validation (one group:
    /// all its rows in training), and it is named in <c>mlContext.Log</c>. It plays the role of the
    /// <c>samplingKeyColumnName</c> of ML.NET's <c>TrainTestSplit</c>, with stratification on top.
    /// </remarks>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="data">The rows; read once now to group them by label, and again whenever a part is read.</param>
    /// <param name="labelColumnName">The label column: text, key, number or bool.</param>
    /// <param name="validationFraction">Fraction of each label's rows (or groups) for validation, in [0, 1); 0 = no validation rows.</param>
    /// <param name="testFraction">Fraction of each label's rows (or groups) for testing, in [0, 1); 0 = no test rows.</param>
    /// <param name="seed">Seed of the shuffle within each label.</param>
    /// <param name="groupColumnName">
    /// Optional: a column (text, key, number or bool) whose equal values mark rows that must stay in one part; null (the
    /// default) splits row by row. A row whose group is missing (empty text, NaN, key 0) is a group of its own.
    /// </param>
    /// <exception cref="InvalidDataException">A row has no label (empty or blank text, NaN, key 0): refused, naming the
    /// first such rows (counted from 0), not split as a label called "NaN" or ""; or, without groups, a label has fewer rows
    /// than the parts (one each; the message names it and its count).</exception>
    /// <exception cref="ArgumentException">A column is missing or not a scalar, or the group column is the label column.</exception>
    public static StratifiedSplitData StratifiedSplit(this DataOperationsCatalog catalog, IDataView data, string labelColumnName = "Label",
        double validationFraction = 0.1, double testFraction = 0.2, int seed = 0, string? groupColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var mlContext = CatalogContext.Of(catalog);
        return Ml.Trainers.Data.StratifiedSplit.Split(data, labelColumnName, validationFraction, testFraction, seed, groupColumnName, message =>
        {
            using var channel = ((IHostEnvironment)mlContext).Register(nameof(StratifiedSplit)).Start("Split");
            channel.Warning(MessageSensitivity.None, message);
        });
    }
}
