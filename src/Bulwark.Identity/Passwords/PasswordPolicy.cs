namespace Bulwark.Identity.Passwords;

/// <summary>
/// Strength rules for user passwords (NIST SP 800-63B style: length and a block list, no composition rules):
/// at least 12 characters, at most 256, not the username, not a well-known password.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 256;

    // Common passwords of 12 or more characters (shorter ones already fail the length rule), from public breach
    // lists, plus the obvious registry-admin guesses.
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890123", "12345678901234", "123456789abc", "1q2w3e4r5t6y", "1qaz2wsx3edc",
        "qwertyuiopas", "qwertyuiop123", "qwerty123456", "asdfghjkl123", "zxcvbnm12345", "password1234",
        "password12345", "password123!", "passwordpassword", "iloveyou1234", "letmein12345", "welcome12345",
        "changeme1234", "changeme123!", "administrator", "administrator1", "admin1234567", "adminadmin12",
        "bulwarkadmin", "bulwark12345", "registry1234", "registryadmin", "trustno1trustno1", "aaaaaaaaaaaa",
        "abcdefghijkl", "abc123abc123", "football1234", "baseball1234", "superman1234", "sunshine1234",
        "princess1234", "monkey123456", "dragon123456", "master123456", "p@ssw0rd1234", "p@ssword1234",
    };

    /// <summary>Every rule the password breaks, as messages for the user; empty when it is acceptable.</summary>
    public static IReadOnlyList<string> Check(string username, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        var problems = new List<string>();
        if (password.Length < MinLength)
        {
            problems.Add($"the password must be at least {MinLength} characters long");
        }

        if (password.Length > MaxLength)
        {
            problems.Add($"the password must be at most {MaxLength} characters long");
        }

        if (string.Equals(password, username, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("the password must not be the username");
        }

        if (Common.Contains(password) || password.Distinct().Count() == 1)
        {
            problems.Add("the password is too common");
        }

        return problems;
    }
}
