using System.Globalization;

namespace Ml.Trainers.Datasets;

/// <summary>
/// Parser of one GTSRB annotation file, <c>GT-000NN.csv</c>: <c>;</c>-separated, header
/// <c>Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId</c> (columns found by name, in any order).
/// </summary>
internal static class GtsrbAnnotationCsv
{
    private static readonly string[] Columns = { "Filename", "Width", "Height", "Roi.X1", "Roi.Y1", "Roi.X2", "Roi.Y2", "ClassId" };

    /// <summary>Reads every row; image paths are resolved against the CSV's folder.</summary>
    /// <param name="csvPath">The annotation file.</param>
    /// <param name="expectedClassId">The class of the folder; every row must carry it.</param>
    public static List<GtsrbSample> Read(string csvPath, int expectedClassId)
    {
        string folder = Path.GetDirectoryName(csvPath) ?? ".";
        string csvName = Path.GetFileName(csvPath);
        using var reader = new StreamReader(csvPath);
        string? headerLine = reader.ReadLine();
        if (headerLine is null)
            throw new InvalidDataException($"GTSRB annotation file '{csvPath}' is empty; expected the header {string.Join(';', Columns)}.");
        string[] header = headerLine.Split(';').Select(h => h.Trim()).ToArray();
        int[] index = new int[Columns.Length];
        for (int c = 0; c < Columns.Length; c++)
        {
            index[c] = Array.FindIndex(header, h => string.Equals(h, Columns[c], StringComparison.OrdinalIgnoreCase));
            if (index[c] < 0)
                throw new InvalidDataException(
                    $"GTSRB annotation file '{csvPath}' has no column '{Columns[c]}'; expected the header {string.Join(';', Columns)}, found '{headerLine}'.");
        }

        var samples = new List<GtsrbSample>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            string[] fields = line.Split(';');
            if (fields.Length != header.Length)
                throw Row(csvPath, lineNumber, $"has {fields.Length} fields, the header has {header.Length}");
            string fileName = fields[index[0]].Trim();
            if (!GtsrbFileName.TryParse(fileName, out int track, out int frame))
                throw Row(csvPath, lineNumber, $"image name '{fileName}' does not have the form TTTTT_FFFFF.ppm (track_frame)");
            int Number(int column)
            {
                string text = fields[index[column]].Trim();
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                    ? value
                    : throw Row(csvPath, lineNumber, $"{Columns[column]} '{text}' is not an integer");
            }
            int classId = Number(7);
            if (classId != expectedClassId)
                throw Row(csvPath, lineNumber, $"ClassId {classId} differs from the class folder {expectedClassId:D5} of {csvName}");
            samples.Add(new GtsrbSample(Path.Combine(folder, fileName), classId, track, frame)
            {
                OriginalWidth = Number(1),
                OriginalHeight = Number(2),
                Roi = new GtsrbRoi(Number(3), Number(4), Number(5), Number(6)),
            });
        }
        return samples;
    }

    private static InvalidDataException Row(string csvPath, int lineNumber, string problem) =>
        new($"GTSRB annotation file '{csvPath}', line {lineNumber}: {problem}.");
}
