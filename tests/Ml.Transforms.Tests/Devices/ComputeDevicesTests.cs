using Ml.Transforms.Devices;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Devices;

[TestClass]
public sealed class ComputeDevicesTests
{
    [TestMethod]
    public void CpuIsTheCpuAndAutoFallsBackToItWithoutCuda()
    {
        Assert.AreEqual(TorchSharp.DeviceType.CPU, ComputeDevices.Resolve(ComputeDevice.Cpu).type);
        var expected = cuda.is_available() ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU;
        Assert.AreEqual(expected, ComputeDevices.Resolve(ComputeDevice.Auto).type);
    }

    [TestMethod]
    public void CudaWithoutAGpuSaysHowToGetOne()
    {
        if (cuda.is_available())
        {
            Assert.AreEqual(TorchSharp.DeviceType.CUDA, ComputeDevices.Resolve(ComputeDevice.Cuda).type);
            return;
        }
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ComputeDevices.Resolve(ComputeDevice.Cuda));
        StringAssert.Contains(e.Message, "TorchBackend=");
    }
}
