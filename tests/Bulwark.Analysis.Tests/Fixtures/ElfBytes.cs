namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>Contents with real executable headers for synthetic layers.</summary>
internal static class ElfBytes
{
    /// <summary>The start of an x86-64 ELF executable header followed by <paramref name="padding"/> bytes.</summary>
    public static byte[] Elf(int padding = 64, byte fill = 0)
    {
        var bytes = new byte[16 + padding];
        Array.Fill(bytes, fill);
        "\u007fELF"u8.CopyTo(bytes);
        bytes[4] = 2; // ELFCLASS64
        bytes[5] = 1; // little endian
        bytes[6] = 1; // EV_CURRENT
        return bytes;
    }

    public const UnixFileMode ExecMode = (UnixFileMode)0b111_101_101;

    public const UnixFileMode PlainMode = (UnixFileMode)0b110_100_100;
}
