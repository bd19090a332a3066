namespace Ml.Trainers.Data;

/// <summary>
/// A path with every symbolic link (and Windows junction) in it resolved, as POSIX <c>realpath</c> gives it: the one
/// name of a file or folder however it was reached. .NET resolves a link only when the path itself is one.
/// </summary>
internal static class RealPath
{
    /// <summary>At most this many links on one path (Linux's own limit is 40): more means links that point at each other.</summary>
    private const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <summary>How the file system compares names: case-insensitive on Windows and macOS, ordinal elsewhere.</summary>
    public static StringComparer Comparer { get; } = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>The real path of <paramref name="path"/> (which need not exist: components after a missing one are kept as written).</summary>
    /// <exception cref="IOException">Links that point at each other (more than 40 on the way).</exception>
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Parts(full, current).Reverse());
        int links = 0;
        while (pending.TryPop(out var part))
        {
            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                target = null;
            }
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
                throw new IOException($"'{path}' goes through more than {MaxLinks} symbolic links (links that point at each other?).");
            // A relative target is relative to the link's folder, which is already real here.
            var resolved = Path.GetFullPath(target, current);
            current = Path.GetPathRoot(resolved)!;
            foreach (var p in Parts(resolved, current).Reverse())
                pending.Push(p);
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or inside it (both real, full paths).</summary>
    public static bool IsSameOrInside(string path, string folder)
    {
        var a = Path.TrimEndingDirectorySeparator(path);
        var b = Path.TrimEndingDirectorySeparator(folder);
        if (Comparer.Equals(a, b))
            return true;
        return a.Length > b.Length && a.StartsWith(b, Comparer == StringComparer.Ordinal ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)
            && (a[b.Length] == Path.DirectorySeparatorChar || b.Length == Path.GetPathRoot(b)?.Length);
    }

    private static IEnumerable<string> Parts(string full, string root) => full[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries);
}
