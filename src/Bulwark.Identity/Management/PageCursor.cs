using System.Buffers.Text;
using System.Text;

namespace Bulwark.Identity.Management;

/// <summary>Opaque list cursors: the base64url of the last key of the previous page.</summary>
public static class PageCursor
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static string Encode(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastKey));

    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new IdentityException(IdentityErrorKind.Invalid, "cursor is not one this server returned");
        }
    }

    public static int Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        < 1 or > MaxLimit => throw new IdentityException(IdentityErrorKind.Invalid, $"limit must be between 1 and {MaxLimit}"),
        _ => limit.Value,
    };
}
