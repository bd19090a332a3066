using Ml.Transforms.Modules;

namespace Ml.Transforms.Tests.Modules;

[TestClass]
public sealed class ConvolutionSizingTests
{
    [TestMethod]
    [DataRow(32, 2, 7, 0, 20)]
    [DataRow(16, 2, 7, 0, 4)]
    [DataRow(14, 2, 7, 0, 2)]
    [DataRow(13, 2, 3, 1, 13)]
    [DataRow(8, 2, 3, 1, 8)]
    [DataRow(4, 1, 3, 1, 4)]
    [DataRow(13, 1, 7, 0, 1)]
    public void SevenBySevenValidWhileItFitsElseThreeByThreeSame(int size, int minimumOutput, int kernel, int padding, int after)
    {
        Assert.AreEqual((kernel, padding), ConvolutionSizing.For(size, 7, minimumOutput));
        Assert.AreEqual(after, ConvolutionSizing.AfterTwoConvolutions(size, kernel, padding));
    }
}
