using System.Globalization;

namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Tokenizer of a Netpbm header: the magic number, then decimal numbers separated by whitespace, with <c>#</c>
/// comments (to the next CR or LF) allowed wherever whitespace is. Reads byte by byte, so the stream ends up exactly
/// at the first byte of the raster.
/// </summary>
internal sealed class PpmHeaderReader
{
    private readonly Stream _stream;
    private readonly string _name;

    public PpmHeaderReader(Stream stream, string name)
    {
        _stream = stream;
        _name = name;
    }

    /// <summary>Reads "P6" and checks that whitespace or a comment follows.</summary>
    public void ReadMagic()
    {
        int first = _stream.ReadByte();
        if (first < 0)
            throw PpmImage.Invalid(_name, "the file is empty");
        int second = _stream.ReadByte();
        if (first != 'P' || second < 0)
            throw PpmImage.Invalid(_name, $"not a PPM file: it starts with {Describe(first)}{(second < 0 ? "" : " " + Describe(second))} instead of the magic number P6");
        if (second != '6')
        {
            string? kind = second switch
            {
                '1' => "P1 (plain PBM)",
                '2' => "P2 (plain PGM)",
                '3' => "P3 (plain/ASCII PPM)",
                '4' => "P4 (binary PBM)",
                '5' => "P5 (binary PGM)",
                '7' => "P7 (PAM)",
                _ => null,
            };
            throw PpmImage.Invalid(_name, kind is null
                ? $"not a PPM file: the magic number is P{(char)second}, expected P6"
                : $"{kind} is not supported; only binary RGB PPM (P6) is");
        }
        int next = _stream.ReadByte();
        if (next < 0)
            throw PpmImage.Invalid(_name, "the header ends after the magic number P6");
        if (!IsWhitespace(next) && next != '#')
            throw PpmImage.Invalid(_name, $"expected whitespace after the magic number P6, found {Describe(next)}");
        if (next == '#')
            SkipComment();
    }

    /// <summary>
    /// Skips whitespace and comments, reads one decimal number, and consumes exactly one delimiter after it: a
    /// whitespace byte, or a comment up to and including its closing CR or LF. After the maxval, the raster follows.
    /// </summary>
    public int ReadNumber(string what)
    {
        int b = _stream.ReadByte();
        while (b >= 0 && (IsWhitespace(b) || b == '#'))
        {
            if (b == '#')
                SkipComment();
            b = _stream.ReadByte();
        }
        if (b < 0)
            throw PpmImage.Invalid(_name, $"the header ends before the {what}");
        if (b < '0' || b > '9')
            throw PpmImage.Invalid(_name, $"expected the {what} (a decimal number) in the header, found {Describe(b)}");
        long value = 0;
        while (b >= '0' && b <= '9')
        {
            value = value * 10 + (b - '0');
            if (value > int.MaxValue)
                throw PpmImage.Invalid(_name, $"the {what} in the header is too large");
            b = _stream.ReadByte();
        }
        if (b < 0)
            throw PpmImage.Invalid(_name, $"the header ends right after the {what}");
        if (b == '#')
        {
            // A comment ends the number; the CR or LF that closes it counts as the whitespace after it.
            SkipComment();
        }
        else if (!IsWhitespace(b))
            throw PpmImage.Invalid(_name, $"expected whitespace after the {what} {value.ToString(CultureInfo.InvariantCulture)}, found {Describe(b)}");
        return (int)value;
    }

    private void SkipComment()
    {
        int b;
        do
            b = _stream.ReadByte();
        while (b >= 0 && b != '\n' && b != '\r');
        if (b < 0)
            throw PpmImage.Invalid(_name, "the header ends inside a # comment");
    }

    private static bool IsWhitespace(int b) => b is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    private static string Describe(int b) =>
        b is >= 0x21 and < 0x7F ? $"'{(char)b}'" : $"byte 0x{b:X2}";
}
