using System.Runtime.InteropServices;
using Ml.Transforms.Devices;

namespace Ml.Transforms.Tests.Devices;

/// <summary><see cref="OpenMpWaitPolicy"/>: the library asks libtorch's OpenMP threads to sleep instead of spinning.</summary>
[TestClass]
public sealed class OpenMpWaitPolicyTests
{
    [TestMethod]
    public void TheLibrarySetsPassiveInTheNativeEnvironmentUnlessTheUserChoseAPolicy()
    {
        if (OperatingSystem.IsWindows())
            Assert.Inconclusive("The native-environment check reads glibc's environment.");
        var native = NativeGetenv("OMP_WAIT_POLICY");
        if (OpenMpWaitPolicy.Applied is { } applied)
        {
            Assert.AreEqual("PASSIVE", applied);
            Assert.AreEqual("PASSIVE", native, "OpenMP reads the C library's environment, not .NET's copy");
            Assert.AreEqual("PASSIVE", Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"), "and .NET code sees the same value");
        }
        else
        {
            Assert.IsTrue(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null,
                "the library leaves the environment alone only when the user set OMP_WAIT_POLICY or GOMP_SPINCOUNT");
        }
    }

    [TestMethod]
    public void ApplyingAgainKeepsWhatIsSet()
    {
        var before = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        OpenMpWaitPolicy.Apply();
        Assert.AreEqual(before, Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"));
    }

    private static string? NativeGetenv(string name)
    {
        var libc = NativeLibrary.Load(OperatingSystem.IsMacOS() ? "/usr/lib/libSystem.dylib" : "libc.so.6");
        var getenv = Marshal.GetDelegateForFunctionPointer<Getenv>(NativeLibrary.GetExport(libc, "getenv"));
        return Marshal.PtrToStringAnsi(getenv(name));
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr Getenv([MarshalAs(UnmanagedType.LPStr)] string name);
}
