namespace ScoringService.Tests.Support;

/// <summary>Temporary folders of this test run, deleted when the test process exits.</summary>
internal static class TempFolder
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"scoring-service-tests-{Environment.ProcessId}");

    static TempFolder() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();

    /// <summary>Deletes every folder of this run (the test host may end before ProcessExit handlers run: called at assembly cleanup too).</summary>
    public static void DeleteAll()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>A new empty folder named after <paramref name="name"/>.</summary>
    public static string Create(string name)
    {
        string path = Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
