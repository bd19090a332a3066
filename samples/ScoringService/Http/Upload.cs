namespace ScoringService.Http;

/// <summary>One uploaded image file, as received.</summary>
/// <param name="Bytes">The encoded image.</param>
/// <param name="Name">What it is, for messages: "the request body" or "file 'a.png' (field 'image')".</param>
/// <param name="FileName">The file name the client gave, if any.</param>
public sealed record Upload(ReadOnlyMemory<byte> Bytes, string Name, string? FileName);
