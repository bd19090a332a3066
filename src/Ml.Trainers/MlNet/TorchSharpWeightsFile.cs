using System.Text;
using static TorchSharp.torch;

namespace Ml.Trainers.MlNet;

/// <summary>
/// Reads the names, dtypes and shapes in a TorchSharp weights file (<c>Module.save</c>: the number of tensors, then per
/// tensor a length-prefixed UTF-8 name, the dtype, the rank and each dimension as LEB128 integers, and the raw values),
/// without loading the values — to say how a file differs from a network when it does not load.
/// </summary>
internal static class TorchSharpWeightsFile
{
    /// <summary>What reading the file found.</summary>
    public enum Outcome
    {
        /// <summary>Every entry read, and the file ends after the last one.</summary>
        Whole,

        /// <summary>The entries read look right, but the file ends before the last one does.</summary>
        EndsEarly,

        /// <summary>The bytes do not look like TorchSharp weights.</summary>
        NotWeights,
    }

    /// <summary>One tensor's entry.</summary>
    public sealed record Entry(string Name, ScalarType Type, long[] Shape);

    public static (Outcome Outcome, IReadOnlyList<Entry> Entries) Read(string path)
    {
        var entries = new List<Entry>();
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
        try
        {
            long count = Decode(reader);
            if (count is < 1 or > 100_000) return (Outcome.NotWeights, entries);
            for (long i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                if (name.Length is 0 or > 512 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_'))
                    return (Outcome.NotWeights, entries);
                var type = (ScalarType)Decode(reader);
                int size = ElementSize(type);
                long rank = Decode(reader);
                if (size == 0 || rank is < 0 or > 16) return (Outcome.NotWeights, entries);
                var shape = new long[rank];
                long values = 1;
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = Decode(reader);
                    if (shape[d] is < 0 or > int.MaxValue) return (Outcome.NotWeights, entries);
                    values *= shape[d];
                }
                entries.Add(new Entry(name, type, shape));
                long bytes = values * size;
                if (stream.Length - stream.Position < bytes) return (Outcome.EndsEarly, entries);
                stream.Seek(bytes, SeekOrigin.Current);
            }
            return (stream.Position == stream.Length ? Outcome.Whole : Outcome.NotWeights, entries);
        }
        catch (EndOfStreamException)
        {
            return (entries.Count > 0 ? Outcome.EndsEarly : Outcome.NotWeights, entries);
        }
        catch (Exception e) when (e is IOException or FormatException or DecoderFallbackException or OverflowException)
        {
            return (Outcome.NotWeights, entries);
        }
    }

    /// <summary>How <paramref name="entries"/> differ from <paramref name="expected"/> (name → dtype, shape), one sentence each.</summary>
    public static List<string> Differences(IReadOnlyList<Entry> entries, IReadOnlyDictionary<string, (ScalarType Type, long[] Shape)> expected)
    {
        var differences = new List<string>();
        var inFile = entries.ToDictionary(e => e.Name);
        foreach (var (name, (type, shape)) in expected)
        {
            if (!inFile.TryGetValue(name, out var entry))
                differences.Add($"the file has no {name}");
            else if (!entry.Shape.SequenceEqual(shape))
                differences.Add($"{name} is [{string.Join(", ", entry.Shape)}] in the file but [{string.Join(", ", shape)}] in this network");
            else if (entry.Type != type)
                differences.Add($"{name} is {entry.Type} in the file but {type} in this network");
        }
        foreach (var entry in entries.Where(e => !expected.ContainsKey(e.Name)))
            differences.Add($"the file has {entry.Name}, which this network lacks");
        return differences;
    }

    private static long Decode(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new FormatException("An integer in the file is too long.");
    }

    private static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => 0,
    };
}
