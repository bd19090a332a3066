using System.Globalization;

namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Parser of the GTSRB annotation files: <c>GT-000NN.csv</c> of a training class folder and <c>GT-final_test.csv</c> of
/// the official test set. Both are <c>;</c>-separated with the header
/// <c>Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId</c> (columns found by name, in any order; a UTF-8 byte
/// order mark and spaces around fields are ignored). The Kaggle layout's comma-separated <c>Train.csv</c> / <c>Test.csv</c>
/// go through the same rows (<see cref="ReadRows"/>, see <see cref="GtsrbKaggleReader"/>).
/// </summary>
internal static class GtsrbAnnotationCsv
{
    /// <summary>The annotation columns after the file column, in the order <see cref="Row.Number"/> indexes them (from 1).</summary>
    private static readonly string[] AnnotationColumns = { "Width", "Height", "Roi.X1", "Roi.Y1", "Roi.X2", "Roi.Y2", "ClassId" };

    /// <summary>Reads every row of a training class's file; image paths are resolved against the CSV's folder.</summary>
    /// <param name="csvPath">The annotation file <c>GT-000NN.csv</c>.</param>
    /// <param name="expectedClassId">The class of the folder; every row must carry it.</param>
    public static List<GtsrbSample> Read(string csvPath, int expectedClassId)
    {
        string folder = Path.GetDirectoryName(csvPath) ?? ".";
        string csvName = Path.GetFileName(csvPath);
        return ReadRows(csvPath, ';', "Filename", row =>
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
        ReadRows(csvPath, ';', "Filename", row =>
        {
            if (!GtsrbFileName.TryParseNumber(row.FileName, out int number))
                throw row.Problem($"image name '{row.FileName}' does not have the form NNNNN.ppm of the official test set");
            int classId = row.Number(7);
            if (classId < 0)
                throw row.Problem($"ClassId {classId} is negative");
            return row.Sample(Path.Combine(imagesFolder, row.FileName), classId, GtsrbSample.NoTrack, number);
        });

    /// <summary>
    /// Reads every data row of an annotation file whose columns are <paramref name="fileColumn"/> and the annotation columns
    /// (found by name, in any order), separated by <paramref name="separator"/>; <paramref name="toSample"/> turns a row into a sample.
    /// </summary>
    internal static List<GtsrbSample> ReadRows(string csvPath, char separator, string fileColumn, Func<Row, GtsrbSample> toSample)
    {
        string[] columns = [fileColumn, .. AnnotationColumns];
        string expected = string.Join(separator, columns);
        using var reader = new StreamReader(csvPath, detectEncodingFromByteOrderMarks: true);
        string? headerLine = reader.ReadLine();
        if (headerLine is null)
            throw new InvalidDataException($"GTSRB annotation file '{csvPath}' is empty; expected the header {expected}.");
        string[] header = headerLine.Split(separator).Select(Unquote).ToArray();
        int[] index = new int[columns.Length];
        for (int c = 0; c < columns.Length; c++)
        {
            index[c] = Array.FindIndex(header, h => string.Equals(h, columns[c], StringComparison.OrdinalIgnoreCase));
            if (index[c] < 0)
                throw new InvalidDataException(
                    $"GTSRB annotation file '{csvPath}' has no column '{columns[c]}'; expected the header {expected}, found '{headerLine}'.");
        }

        var samples = new List<GtsrbSample>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            string[] fields = line.Split(separator);
            var row = new Row(csvPath, lineNumber, fields, index, columns);
            if (fields.Length != header.Length)
                throw row.Problem($"has {fields.Length} fields, the header has {header.Length}");
            samples.Add(toSample(row));
        }
        return samples;
    }

    /// <summary>A field without the spaces and the double quotes around it.</summary>
    private static string Unquote(string field) => field.Trim().Trim('"').Trim();

    /// <summary>One data line: its fields by column, and the error shape every problem with it uses.</summary>
    internal readonly struct Row(string csvPath, int lineNumber, string[] fields, int[] index, string[] columns)
    {
        /// <summary>The file column (Filename, or the Kaggle layout's Path).</summary>
        public string FileName => Unquote(fields[index[0]]);

        /// <summary>The integer of an annotation column: 1 Width, 2 Height, 3..6 Roi.X1..Roi.Y2, 7 ClassId.</summary>
        public int Number(int column)
        {
            string text = Unquote(fields[index[column]]);
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw Problem($"{columns[column]} '{text}' is not an integer");
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
