using System.Net.Http.Headers;

namespace Bulwark.Analysis.Registry;

/// <summary>A parsed <c>WWW-Authenticate</c> challenge: scheme and parameters (realm, service, scope).</summary>
internal sealed record RegistryChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public static RegistryChallenge? From(HttpResponseHeaders headers)
    {
        foreach (var header in headers.WwwAuthenticate)
        {
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var text = header.Parameter ?? "";
            var i = 0;
            while (i < text.Length)
            {
                while (i < text.Length && (text[i] == ',' || text[i] == ' '))
                {
                    i++;
                }

                var equals = text.IndexOf('=', i);
                if (equals < 0)
                {
                    break;
                }

                var key = text[i..equals].Trim();
                i = equals + 1;
                string value;
                if (i < text.Length && text[i] == '"')
                {
                    var close = text.IndexOf('"', i + 1);
                    close = close < 0 ? text.Length : close;
                    value = text[(i + 1)..close];
                    i = close + 1;
                }
                else
                {
                    var comma = text.IndexOf(',', i);
                    comma = comma < 0 ? text.Length : comma;
                    value = text[i..comma].Trim();
                    i = comma;
                }

                parameters[key] = value;
            }

            return new RegistryChallenge(header.Scheme, parameters);
        }

        return null;
    }
}
