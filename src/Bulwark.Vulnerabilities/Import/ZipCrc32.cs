namespace Bulwark.Vulnerabilities.Import;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected 0xEDB88320) as zip records it per entry. .NET's ZipArchive does not check it on
/// read, so a flipped byte in a stored entry would otherwise pass unnoticed (APPNOTE.TXT §4.4.7).
/// </summary>
internal static class ZipCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
