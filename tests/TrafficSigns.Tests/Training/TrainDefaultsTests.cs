using Microsoft.ML;
using TrafficSigns.Cli;
using TrafficSigns.Data;
using TrafficSigns.Training;

namespace TrafficSigns.Tests.Training;

/// <summary>
/// Issue 29, item 7: the input for your own images follows the images — 48×48 at 2× when their median shorter side has
/// 48 pixels to give, the library's 32×32 at 2× from 32 px, and below 32 px their own size (at least 16) at 1× — unless
/// --image-size or --downsampling says otherwise. Traffic signs keep 32×32 at 2×.
/// </summary>
[TestClass]
public sealed class TrainDefaultsTests
{
    [TestMethod]
    [DataRow(0, 32, 2)]
    [DataRow(1, 16, 1)]
    [DataRow(12, 16, 1)]
    [DataRow(16, 16, 1)]
    [DataRow(28, 28, 1)]
    [DataRow(31, 31, 1)]
    [DataRow(32, 32, 2)]
    [DataRow(47, 32, 2)]
    [DataRow(48, 48, 2)]
    [DataRow(56, 48, 2)]
    [DataRow(3000, 48, 2)]
    public void OwnImagesGetAnInputThatFollowsTheirMedianShorterSide(int medianShorterSide, int size, int downsampling) =>
        Assert.AreEqual((size, downsampling), TrainDefaults.OwnImageInput(medianShorterSide));

    [TestMethod]
    public void TheImageSizeOptionAndTheTrafficSignDefaultAreNotChangedByTheImages()
    {
        var own = new TrainSettings { Images = "photos" }.TrainerOptions(medianShorterSide: 56).Transformer;
        Assert.AreEqual((48, 48, 2), (own.ImageWidth, own.ImageHeight, own.Downsampling));
        Assert.AreEqual(32, new TrainSettings { Images = "photos", ImageSize = 32 }.TrainerOptions(56).Transformer.ImageWidth);
        Assert.AreEqual(32, new TrainSettings().TrainerOptions(56).Transformer.ImageWidth, "traffic signs");
        Assert.AreEqual((32, 2), Input(new TrainSettings().TrainerOptions(28)), "traffic signs keep 32×32 at 2× whatever the images");
        Assert.AreEqual(32, new TrainSettings { Images = "photos" }.TrainerOptions().Transformer.ImageWidth, "before the images are read (option validation)");
    }

    [TestMethod]
    public void SmallImagesAreTakenAtTheirOwnSizeUnlessAnInputOptionIsGiven()
    {
        Assert.AreEqual((28, 1), Input(new TrainSettings { Images = "photos" }.TrainerOptions(28)));
        Assert.AreEqual((28, 2), Input(new TrainSettings { Images = "photos", ImageSize = 28 }.TrainerOptions(28)),
            "--image-size alone keeps the default downsampling");
        Assert.AreEqual((32, 2), Input(new TrainSettings { Images = "photos", Downsampling = 2 }.TrainerOptions(28)),
            "--downsampling alone keeps the size the images had before this rule (32)");
        Assert.AreEqual((48, 4), Input(new TrainSettings { Images = "photos", Downsampling = 4 }.TrainerOptions(60)));
        Assert.AreEqual((20, 1), Input(new TrainSettings { Images = "photos", ImageSize = 20, Downsampling = 1 }.TrainerOptions(28)));
        Assert.IsTrue(new TrainSettings { Images = "photos" }.InputFromImages);
        Assert.IsFalse(new TrainSettings { Images = "photos", Downsampling = 1 }.InputFromImages);
        Assert.IsFalse(new TrainSettings().InputFromImages, "traffic signs");
    }

    private static (int Size, int Downsampling) Input(Ml.Trainers.StnImageClassificationOptions options) =>
        (options.Transformer.ImageWidth, options.Transformer.Downsampling);

    [TestMethod]
    public void TheTrainingSetMeasuresTheMedianShorterSideOfTheFolder()
    {
        var root = Directory.CreateTempSubdirectory("train-defaults-").FullName;
        try
        {
            var small = ShapeImages.Write(Path.Combine(root, "small"), perLabel: 7, minSide: 20, maxSide: 40);
            var large = ShapeImages.Write(Path.Combine(root, "large"), perLabel: 7, minSide: 60, maxSide: 90);
            int Median(string folder) => ImageFolderTrainingSet.Load(new TrainSettings { Images = folder }, new MLContext(0), CancellationToken.None).MedianShorterSide!.Value;

            int smallSide = Median(small), largeSide = Median(large);
            Assert.IsTrue(smallSide is >= 20 and <= 40, $"small images: {smallSide}");
            Assert.IsTrue(largeSide is >= 60 and <= 90, $"large images: {largeSide}");
            Assert.AreEqual(TrainDefaults.OwnImageInput(smallSide), Input(new TrainSettings { Images = small }.TrainerOptions(smallSide)));
            Assert.AreEqual(48, new TrainSettings { Images = large }.TrainerOptions(largeSide).Transformer.ImageWidth);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Your own images train with the library's regularization (a random shift of σ 0.1 and classifier dropout 0.25);
    /// traffic signs keep the measured recipe without either; each option overrides its default.
    /// </summary>
    [TestMethod]
    public void OwnImagesAreShiftedAndDroppedOutTrafficSignsAreNot()
    {
        var own = new TrainSettings { Images = "photos" }.TrainerOptions(28);
        Assert.AreEqual(0.1, own.Training.TranslationStrength);
        Assert.AreEqual(0, own.Training.PerturbationStrength);
        Assert.AreEqual(0.25, own.ClassifierDropout);
        Assert.AreEqual(0, own.Training.EarlyStoppingPatience, "all 20 epochs, the best kept");
        Assert.AreEqual(20, own.Training.Epochs);
        Assert.AreEqual(new Ml.Trainers.StnImageClassificationOptions().ClassifierDropout, own.ClassifierDropout, "the library's default");

        var signs = new TrainSettings().TrainerOptions();
        Assert.AreEqual(0, signs.Training.TranslationStrength);
        Assert.AreEqual(0, signs.Training.PerturbationStrength);
        Assert.AreEqual(0, signs.ClassifierDropout);

        var both = new TrainSettings { Images = "photos", Perturbation = 0.25, Translation = 0.05, Dropout = 0 }.TrainerOptions(28);
        Assert.AreEqual(0.05, both.Training.TranslationStrength);
        Assert.AreEqual(0, both.ClassifierDropout);
    }
}
