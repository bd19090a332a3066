namespace ScoringService.Imaging;

/// <summary>An upload that is not an image the service scores, with the HTTP status and the reason in words.</summary>
public sealed class ImageRejection
{
    /// <summary>Creates a rejection.</summary>
    public ImageRejection(int status, string code, string title, string detail)
    {
        Status = status;
        Code = code;
        Title = title;
        Detail = detail;
    }

    /// <summary>The HTTP status (400, 413 or 415).</summary>
    public int Status { get; }

    /// <summary>A stable, machine-readable reason, e.g. "truncated-image" (the problem's <c>code</c>).</summary>
    public string Code { get; }

    /// <summary>One line on what kind of problem it is.</summary>
    public string Title { get; }

    /// <summary>What was wrong with this upload and how to fix it.</summary>
    public string Detail { get; }
}
