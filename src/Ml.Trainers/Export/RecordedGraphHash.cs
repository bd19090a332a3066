using System.Security.Cryptography;
using Google.Protobuf;
using Onnx;

namespace Ml.Trainers.Export;

/// <summary>
/// The SHA-256 a trained graph records of itself, in its last <c>metadata_props</c> entry
/// (<c>mllinearized.graph_sha256</c>): the hash of the graph's bytes without that entry. Protocol Buffers serialize a
/// parsed message to the same bytes, so removing the entry again gives back exactly the bytes that were hashed: a graph
/// whose bytes changed after training (disk or transfer damage, even where a zip's CRC was recomputed) no longer matches.
/// It detects damage, not tampering: whoever edits the graph on purpose can record a new hash.
/// </summary>
internal static class RecordedGraphHash
{
    public const string Key = "mllinearized.graph_sha256";

    /// <summary>Appends the entry to <paramref name="model"/> and returns the model's bytes.</summary>
    public static byte[] Record(ModelProto model)
    {
        var hash = Hex(SHA256.HashData(model.ToByteArray()));
        model.MetadataProps.Add(new StringStringEntryProto { Key = Key, Value = hash });
        return model.ToByteArray();
    }

    /// <summary>
    /// Checks the recorded hash of <paramref name="model"/> (parsed from the bytes being checked): null when it matches
    /// or the graph records none (graphs trained before it existed), else what is wrong in words.
    /// </summary>
    public static string? Problem(ModelProto model)
    {
        int at = model.MetadataProps.Count - 1;
        if (at < 0 || model.MetadataProps[at].Key != Key)
            return model.MetadataProps.Any(p => p.Key == Key) ? $"its recorded SHA-256 ('{Key}') is not its last metadata entry, as training writes it" : null;
        var recorded = model.MetadataProps[at].Value;
        var copy = model.Clone();
        copy.MetadataProps.RemoveAt(at);
        var actual = Hex(SHA256.HashData(copy.ToByteArray()));
        return actual == recorded ? null : $"the ONNX graph's SHA-256 is {actual}, not the {recorded} recorded when it was trained";
    }

    private static string Hex(byte[] hash) => Convert.ToHexString(hash).ToLowerInvariant();
}
