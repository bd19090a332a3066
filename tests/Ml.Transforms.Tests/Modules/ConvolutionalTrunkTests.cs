using Ml.Transforms.Modules;
using Ml.Transforms.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Modules;

[TestClass]
public sealed class ConvolutionalTrunkTests
{
    [TestMethod]
    [DataRow(32, 7, 0, 20)]
    [DataRow(8, 3, 1, 8)]
    public void ItIsTwoReluConvolutionsAfterTheStandardization(int size, int kernel, int padding, int after)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var trunk = new ConvolutionalTrunk(3, 5, 7, kernel, padding, standardizeInput: true);
        var image = Grids.Image(2, 3, size, size, ScalarType.Float32, seed: 4);
        var output = trunk.forward(image);
        CollectionAssert.AreEqual(new long[] { 2, 7, after, after }, output.shape);
        Assert.AreEqual(after, trunk.OutputSize(size));

        // The same computation written out with the trunk's own parameters (float32, so 1e-5).
        var p = trunk.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        CollectionAssert.AreEqual(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias" }, p.Keys.ToArray());
        using var standardize = new ImageStandardization();
        var x = nn.functional.relu(nn.functional.conv2d(standardize.forward(image), p["conv1.weight"], p["conv1.bias"], padding: [padding, padding]));
        x = nn.functional.relu(nn.functional.conv2d(x, p["conv2.weight"], p["conv2.bias"], padding: [padding, padding]));
        TensorAssert.Close(x, output, 1e-5);
    }

    [TestMethod]
    public void ClassifierAndPredictorKeepTheirConvolutionsInTheSameTrunk()
    {
        using var classifier = new ConvolutionalClassifier(3, 8, 8, 43, 31, 62);
        using var predictor = new GeometricPredictor(3, 32, 32, 8);
        string[] trunk = ["trunk.conv1.weight", "trunk.conv1.bias", "trunk.conv2.weight", "trunk.conv2.bias"];
        CollectionAssert.AreEqual(trunk.Append("fc.weight").Append("fc.bias").ToArray(), classifier.state_dict().Keys.ToArray());
        CollectionAssert.AreEqual(trunk.Append("fc.weight").Append("fc.bias").ToArray(), predictor.state_dict().Keys.ToArray());
        Assert.AreEqual((3, 1), (classifier.KernelSize, classifier.ConvolutionPadding));
        Assert.AreEqual((7, 0), (predictor.KernelSize, predictor.ConvolutionPadding));
    }
}
