using ScoringService.Tests.Support;

namespace ScoringService.Tests;

[TestClass]
public static class AssemblySetup
{
    [AssemblyCleanup]
    public static void StopTheServiceProcessAndDeleteTheTempFolders()
    {
        SharedServiceProcess.Stop();
        SharedService.Stop();
        TempFolder.DeleteAll();
    }
}
