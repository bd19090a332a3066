namespace TrafficSigns.Experiments.Download;

/// <summary>The per-user cache folder of the downloaded GTSRB, <c>…/mllinearized/gtsrb</c>.</summary>
internal static class UserCacheFolder
{
    /// <summary>
    /// Windows: <c>%LOCALAPPDATA%\mllinearized\gtsrb</c>; macOS: <c>~/Library/Caches/mllinearized/gtsrb</c>; elsewhere
    /// <c>$XDG_CACHE_HOME/mllinearized/gtsrb</c>, or <c>~/.cache/mllinearized/gtsrb</c> when XDG_CACHE_HOME is unset or
    /// not an absolute path (the XDG base-directory rule).
    /// </summary>
    public static string Gtsrb() => Path.Combine(Root(), "mllinearized", "gtsrb");

    private static string Root()
    {
        if (OperatingSystem.IsWindows())
            return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        if (OperatingSystem.IsMacOS())
            return Path.Combine(home, "Library", "Caches");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        return !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg : Path.Combine(home, ".cache");
    }
}
