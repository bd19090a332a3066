using System.Globalization;

namespace Ml.Trainers.Datasets;

/// <summary>
/// Parser of the GTSRB annotation files: <c>GT-000NN.csv</c> of a training class folder and <c>GT-final_test.csv</c> of
/// the official test set. Both are <c>;</c>-separated with the header
/// <c>Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId</c> (columns found by name, in any order; a UTF-8 byte
/// order mark and spaces around fields are ignored).
/// </summary>
internal static class GtsrbAnnotationCsv
{
    private static readonly string[] Columns = { "Filename", "Width", "Height", "Roi.X1", "Roi.Y1", "Roi.X2", "Roi.Y2", "ClassId" };

    /// <summary>Reads every row of a training class's file; image paths are resolved against the CSV's folder.</summary>
    /// <param name="csvPath">The annotation file <c>GT-000NN.csv</c>.</param>
    /// <param name="expectedClassId">The class of the folder; every row must carry it.</param>
    public static List<GtsrbSample> Read(string csvPath, int expectedClassId)
    {
        string folder = Path.GetDirectoryName(csvPath) ?? ".";
        string csvName = Path.GetFileName(csvPath);
        return ReadRows(csvPath, row =>
        {
            if (!GtsrbFileName.TryParse(row.FileName, out int track, out int frame))
                throw row.Problem($"image name '{row.FileName}' does not have the form TTTTT_FFFFF.ppm (track_frame)");
            int classId = row.Number(7);
            if (classId != expectedClassId)
                throw row.Problem($"ClassId {classId} differs from the class folder {expectedClassId:D5} of {csvName}");
            return row.Sample(Path.Combine(folder, row.FileName), classId, track, frame);
        });
    }

    /// <summary>
    /// Reads every row of the official test set's labelled file; image names are <c>NNNNN.ppm</c> (the number becomes
    /// the frame id, the track id is <see cref="GtsrbSample.NoTrack"/>), resolved against <paramref name="imagesFolder"/>.
    /// </summary>
    /// <param name="csvPath">The annotation file <c>GT-final_test.csv</c>.</param>
    /// <param name="imagesFolder">The folder of the test images, <c>Final_Test/Images</c>.</param>
    public static List<GtsrbSample> ReadTest(string csvPath, string imagesFolder) =>
        ReadRows(csvPath, row =>
        {
            if (!GtsrbFileName.TryParseNumber(row.FileName, out int number))
                throw row.Problem($"image name '{row.FileName}' does not have the form NNNNN.ppm of the official test set");
            int classId = row.Number(7);
            if (classId < 0)
                throw row.Problem($"ClassId {classId} is negative");
            return row.Sample(Path.Combine(imagesFolder, row.FileName), classId, GtsrbSample.NoTrack, number);
        });

    private static List<GtsrbSample> ReadRows(string csvPath, Func<Row, GtsrbSample> toSample)
    {
        using var reader = new StreamReader(csvPath, detectEncodingFromByteOrderMarks: true);
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
            var row = new Row(csvPath, lineNumber, fields, index);
            if (fields.Length != header.Length)
                throw row.Problem($"has {fields.Length} fields, the header has {header.Length}");
            samples.Add(toSample(row));
        }
        return samples;
    }

    /// <summary>One data line: its fields by column, and the error shape every problem with it uses.</summary>
    private readonly struct Row(string csvPath, int lineNumber, string[] fields, int[] index)
    {
        public string FileName => fields[index[0]].Trim();

        public int Number(int column)
        {
            string text = fields[index[column]].Trim();
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw Problem($"{Columns[column]} '{text}' is not an integer");
        }

        public GtsrbSample Sample(string imagePath, int classId, int trackId, int frameId) =>
            new(imagePath, classId, trackId, frameId)
            {
                OriginalWidth = Number(1),
                OriginalHeight = Number(2),
                Roi = new GtsrbRoi(Number(3), Number(4), Number(5), Number(6)),
            };

        public InvalidDataException Problem(string problem) =>
            new($"GTSRB annotation file '{csvPath}', line {lineNumber}: {problem}.");
    }
}
