namespace TrafficSigns.Experiments.Download;

/// <summary>One archive of the GTSRB public archive: its file name and its expected MD5 (lowercase hex; null skips the check).</summary>
internal sealed record GtsrbArchive(string FileName, string? Md5);

/// <summary>
/// The three archives of the final GTSRB release and what they must unpack to. <see cref="Official"/> is the default;
/// tests inject their own archives, checksums and counts.
/// </summary>
/// <param name="Training">Unpacks to <c>GTSRB/Final_Training/Images/000NN/</c> (<c>GT-000NN.csv</c> + <c>TTTTT_FFFFF.ppm</c>).</param>
/// <param name="TestImages">Unpacks to <c>GTSRB/Final_Test/Images/NNNNN.ppm</c> + <c>GT-final_test.test.csv</c> (no class ids).</param>
/// <param name="TestLabels">Unpacks to <c>GT-final_test.csv</c> (with class ids) at its top level.</param>
/// <param name="TrainingImageCount">Training images (and rows of the 43 <c>GT-000NN.csv</c>) the archive must hold.</param>
/// <param name="TestImageCount">Test images (and rows of <c>GT-final_test.csv</c>) the archives must hold.</param>
internal sealed record GtsrbArchiveSet(GtsrbArchive Training, GtsrbArchive TestImages, GtsrbArchive TestLabels, int TrainingImageCount, int TestImageCount)
{
    /// <summary>
    /// The official final release (the full training set, 39,209 images; the test set, 12,630 images).
    /// Sources of the MD5s (the same three values in each):
    /// - GTSRB_Final_Test_Images.zip and GTSRB_Final_Test_GT.zip: torchvision's GTSRB dataset,
    ///   github.com/pytorch/vision, torchvision/datasets/gtsrb.py (its training file is the different
    ///   GTSRB-Training_fixed.zip, so it gives no MD5 for ours);
    /// - all three: DeepMind's NEVIS'22, github.com/google-deepmind/dm_nevis,
    ///   dm_nevis/datasets_storage/handlers/german_tsr.py, and github.com/QDucasse/nn_benchmark,
    ///   nn_benchmark/extensions/gtsrb.py; both download from the same base URL as here.
    /// Sources of the counts: 12,630 from the test archive's own Readme-Images-Final-test.txt ("all test images (12,630
    /// images)", "00000.ppm to 12629.ppm"); 39,209 from Stallkamp et al., "Man vs. computer: Benchmarking machine
    /// learning algorithms for traffic sign recognition", Neural Networks 32 (2012), and the 39,209 images this
    /// project's tests count in the unpacked archive. No public source gives the archives' byte sizes, so the size check
    /// is the server's Content-Length (or Content-Range) against the bytes received.
    /// </summary>
    public static GtsrbArchiveSet Official { get; } = new(
        new GtsrbArchive("GTSRB_Final_Training_Images.zip", "f33fd80ac59bff73c82d25ab499e03a3"),
        new GtsrbArchive("GTSRB_Final_Test_Images.zip", "c7e4e6327067d32654124b0fe9e82185"),
        new GtsrbArchive("GTSRB_Final_Test_GT.zip", "fe31e9c9270bbcd7b84b7f21a9d9d9e5"),
        TrainingImageCount: 39_209,
        TestImageCount: 12_630);

    /// <summary>The three archives, in download order.</summary>
    public IReadOnlyList<GtsrbArchive> All => [Training, TestImages, TestLabels];
}
