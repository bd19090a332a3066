namespace Ml.Trainers.Data;

/// <summary>How <see cref="ImageFolder.Read"/> checks each image file (<see cref="ImageFolderOptions.Check"/>).</summary>
public enum ImageCheck
{
    /// <summary>
    /// Decode every pixel of every file, strictly: a damaged, truncated or unreadable file is found while the folder is
    /// read, with its name, and never half-decoded. Records each image's size and the SHA-256 of its bytes. About a
    /// millisecond per small image; a large photo costs its full decode.
    /// </summary>
    Decode,

    /// <summary>
    /// Read each file's bytes and header only (format and size; the end marker of a PNG, GIF or WebP), decoding no
    /// pixel, and record its size and SHA-256 as <see cref="Decode"/> does. A file whose header is unreadable, or that
    /// stops before its end marker, is found now; damage inside the image data is found when the images are decoded
    /// for training: the trainer reading a path column (<c>StnImageClassificationOptions.ImageColumnName</c> =
    /// "ImagePath") leaves such a file out and names it in <c>SkippedImages</c>. Use it when every image is decoded
    /// for training anyway, so that each is decoded once.
    /// </summary>
    Header,

    /// <summary>List the files only: nothing is read, sizes are 0, <see cref="ImageFolderImage.Sha256"/> is null.</summary>
    None,
}
