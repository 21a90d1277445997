using System.Text;

namespace Bulwark.Cli.Commands.Signing;

/// <summary>
/// The passphrase of a signing key: <c>BULWARK_KEY_PASSWORD</c> when set (even empty, as cosign's COSIGN_PASSWORD),
/// else typed at a terminal without echo; with neither, the command cannot ask and stops with a usage error.
/// </summary>
internal static class KeyPassphrase
{
    public const string EnvironmentVariable = "BULWARK_KEY_PASSWORD";

    /// <param name="confirm">Ask twice and require the same answer (when creating a key).</param>
    public static string Read(bool confirm)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { } value)
        {
            return value;
        }

        if (Console.IsInputRedirected)
        {
            throw new SigningUsageException($"no passphrase: set {EnvironmentVariable} (standard input is not a terminal to prompt on)");
        }

        var first = Prompt("Enter password for private key: ");
        if (confirm && Prompt("Enter password for private key again: ") != first)
        {
            throw new SigningUsageException("the passphrases do not match");
        }

        return first;
    }

    private static string Prompt(string text)
    {
        Console.Error.Write(text);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                {
                    typed.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return typed.ToString();
    }
}
