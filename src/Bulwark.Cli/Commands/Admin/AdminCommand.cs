using System.CommandLine;
using System.Text.Json.Nodes;

namespace Bulwark.Cli.Commands.Admin;

/// <summary>
/// <c>bulwark admin …</c>: manages users, service principals, repository tokens, scope maps, role assignments
/// public patterns and image policies through a running server's management API.
/// </summary>
internal static class AdminCommand
{
    private static readonly ServerConnection Connection = new("of a system admin ");

    public static Command Create()
    {
        var admin = new Command("admin", "Manage principals and access on a running server") { Connection.Server, Connection.Creds };
        admin.Subcommands.Add(Principals("user", "users", "Users (people with passwords)", withPassword: true));
        admin.Subcommands.Add(Principals("sp", "service-principals", "Service principals (client id + secrets)", withPassword: false));
        admin.Subcommands.Add(Principals("token", "tokens", "Repository-scoped tokens bound to a scope map", withPassword: false));
        admin.Subcommands.Add(ScopeMaps());
        admin.Subcommands.Add(Roles());
        admin.Subcommands.Add(PublicPatterns());
        admin.Subcommands.Add(Policies());
        return admin;
    }

    private static Command Principals(string name, string path, string description, bool withPassword)
    {
        var command = new Command(name, description);
        var principal = new Argument<string>("name");
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "Secret expiry (ISO 8601)" };
        var scopeMap = new Option<string?>("--scope-map") { Description = "Scope map a token is bound to" };
        var descriptionOption = new Option<string?>("--description");

        var create = new Command("create", $"Create; {(withPassword ? "reads the password from stdin, or generates one with --generate" : "prints the first secret once")}")
        {
            principal, descriptionOption,
        };
        var generate = new Option<bool>("--generate") { Description = "Generate a strong password and print it once" };
        if (withPassword)
        {
            create.Options.Add(generate);
        }
        else
        {
            create.Options.Add(expires);
        }

        if (name == "token")
        {
            create.Options.Add(scopeMap);
        }

        Run(create, r =>
        {
            var body = new JsonObject { ["name"] = r.GetValue(principal), ["description"] = r.GetValue(descriptionOption) };
            if (withPassword && !r.GetValue(generate))
            {
                body["password"] = ReadPassword();
            }

            if (!withPassword)
            {
                body["secretExpiresAt"] = r.GetValue(expires)?.ToString("O");
            }

            if (name == "token")
            {
                body["scopeMap"] = r.GetValue(scopeMap) ?? throw new AdminUsageException("--scope-map is required for a token");
            }

            return (HttpMethod.Post, path, body);
        });

        var limit = new Option<int?>("--limit");
        var cursor = new Option<string?>("--cursor");
        var list = new Command("list", "List (paginated: pass the answer's next as --cursor)") { limit, cursor };
        Run(list, r => (HttpMethod.Get, $"{path}?{Query(("limit", r.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cursor", r.GetValue(cursor)))}", null));
        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(Simple("get", "Show one", principal, r => (HttpMethod.Get, $"{path}/{r.GetValue(principal)}", null)));
        command.Subcommands.Add(Simple("disable", "Disable (refuses its logins; existing access tokens live until they expire)", principal,
            r => (HttpMethod.Patch, $"{path}/{r.GetValue(principal)}", new JsonObject { ["disabled"] = true })));
        command.Subcommands.Add(Simple("enable", "Enable", principal,
            r => (HttpMethod.Patch, $"{path}/{r.GetValue(principal)}", new JsonObject { ["disabled"] = false })));
        command.Subcommands.Add(Simple("delete", "Delete with its secrets, role assignments and refresh tokens", principal,
            r => (HttpMethod.Delete, $"{path}/{r.GetValue(principal)}", null)));
        command.Subcommands.Add(Simple("revoke-refresh-tokens", "Revoke every refresh token", principal,
            r => (HttpMethod.Delete, $"{path}/{r.GetValue(principal)}/refresh-tokens", null)));
        if (withPassword)
        {
            command.Subcommands.Add(Simple("set-password", "Set the password (read from stdin)", principal,
                r => (HttpMethod.Patch, $"{path}/{r.GetValue(principal)}", new JsonObject { ["password"] = ReadPassword() })));
        }
        else
        {
            var addSecret = new Command("add-secret", "Add a secret (at most two active); printed once") { principal, expires };
            Run(addSecret, r => (HttpMethod.Post, $"{path}/{r.GetValue(principal)}/secrets", new JsonObject { ["expiresAt"] = r.GetValue(expires)?.ToString("O") }));
            var secretId = new Argument<Guid>("secret-id");
            var removeSecret = new Command("remove-secret", "Remove a secret") { principal, secretId };
            Run(removeSecret, r => (HttpMethod.Delete, $"{path}/{r.GetValue(principal)}/secrets/{r.GetValue(secretId)}", null));
            command.Subcommands.Add(addSecret);
            command.Subcommands.Add(removeSecret);
        }

        return command;
    }

    private static Command ScopeMaps()
    {
        var command = new Command("scope-map", "Custom scope maps: repository patterns and the actions granted on them");
        var name = new Argument<string>("name");
        var rules = new Option<string[]>("--rule")
        {
            Description = "PATTERN=ACTION[,ACTION…], e.g. team-a/*=content/read,metadata/read (repeatable)",
            AllowMultipleArgumentsPerToken = true,
        };
        var create = new Command("create", "Create a scope map") { name, rules };
        Run(create, r => (HttpMethod.Post, "scope-maps", new JsonObject { ["name"] = r.GetValue(name), ["rules"] = Rules(r.GetValue(rules)) }));
        var update = new Command("update", "Replace a scope map's rules") { name, rules };
        Run(update, r => (HttpMethod.Patch, $"scope-maps/{r.GetValue(name)}", new JsonObject { ["rules"] = Rules(r.GetValue(rules)) }));
        command.Subcommands.Add(create);
        command.Subcommands.Add(update);
        command.Subcommands.Add(Simple("list", "List scope maps", null, _ => (HttpMethod.Get, "scope-maps", null)));
        command.Subcommands.Add(Simple("get", "Show a scope map", name, r => (HttpMethod.Get, $"scope-maps/{r.GetValue(name)}", null)));
        command.Subcommands.Add(Simple("delete", "Delete an unused scope map", name, r => (HttpMethod.Delete, $"scope-maps/{r.GetValue(name)}", null)));
        return command;
    }

    private static Command Roles()
    {
        var command = new Command("role", "Built-in roles and role assignments");
        var principal = new Argument<string>("principal");
        var role = new Argument<string>("role") { Description = "reader, pusher, maintainer, admin, or a scope map with --scope-map" };
        var pattern = new Option<string?>("--pattern") { Description = "Repository pattern: name, name/*, name/** or **; none with admin = system admin" };
        var isScopeMap = new Option<bool>("--scope-map") { Description = "ROLE names a scope map" };
        var assign = new Command("assign", "Assign a role on a pattern, or a scope map") { principal, role, pattern, isScopeMap };
        Run(assign, r => (HttpMethod.Post, "role-assignments", r.GetValue(isScopeMap)
            ? new JsonObject { ["principal"] = r.GetValue(principal), ["scopeMap"] = r.GetValue(role) }
            : new JsonObject { ["principal"] = r.GetValue(principal), ["role"] = r.GetValue(role), ["pattern"] = r.GetValue(pattern) }));
        var filter = new Option<string?>("--principal");
        var list = new Command("list", "List role assignments") { filter };
        Run(list, r => (HttpMethod.Get, $"role-assignments?{Query(("principal", r.GetValue(filter)))}", null));
        var id = new Argument<Guid>("assignment-id");
        command.Subcommands.Add(assign);
        command.Subcommands.Add(list);
        command.Subcommands.Add(Simple("remove", "Remove a role assignment", id, r => (HttpMethod.Delete, $"role-assignments/{r.GetValue(id)}", null)));
        command.Subcommands.Add(Simple("builtin", "Show the built-in roles and their actions", null, _ => (HttpMethod.Get, "roles", null)));
        return command;
    }

    private static Command PublicPatterns()
    {
        var command = new Command("public", "Repository patterns anonymous callers may pull");
        var pattern = new Argument<string>("pattern");
        var id = new Argument<Guid>("id");
        command.Subcommands.Add(Simple("add", "Make a pattern public for pull", pattern,
            r => (HttpMethod.Post, "public-repositories", new JsonObject { ["pattern"] = r.GetValue(pattern) })));
        command.Subcommands.Add(Simple("list", "List public patterns", null, _ => (HttpMethod.Get, "public-repositories", null)));
        command.Subcommands.Add(Simple("remove", "Make a pattern private again", id, r => (HttpMethod.Delete, $"public-repositories/{r.GetValue(id)}", null)));
        return command;
    }

    private static Command Policies()
    {
        var command = new Command("policy", "Image policies stored on the server (versioned; the newest version of each is in force)");
        var name = new Argument<string>("name");
        var file = new Argument<string>("file") { Description = "The policy document (YAML); - reads standard input" };
        var put = new Command("put", "Store a policy document as the next version of NAME (every error is listed when it is not valid)") { name, file };
        put.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var yaml = await ReadPolicyAsync(result.GetValue(file)!, cancellationToken);
                using var client = Connection.CreateClient(result);
                return await client.SendAsync(HttpMethod.Put, $"policies/{Uri.EscapeDataString(result.GetValue(name)!)}",
                    new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"), cancellationToken);
            }
            catch (AdminUsageException e)
            {
                await Console.Error.WriteLineAsync($"bulwark admin: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        var version = new Option<int?>("--version") { Description = "An older version (default: the one in force)" };
        var get = new Command("get", "Show a policy version with its document") { name, version };
        Run(get, r => (HttpMethod.Get, $"policies/{Uri.EscapeDataString(r.GetValue(name)!)}?{Query(("version", r.GetValue(version)?.ToString(System.Globalization.CultureInfo.InvariantCulture)))}", null));
        var limit = new Option<int?>("--limit");
        var cursor = new Option<string?>("--cursor");
        var list = new Command("list", "List policies with the version in force (paginated: pass the answer's next as --cursor)") { limit, cursor };
        Run(list, r => (HttpMethod.Get, $"policies?{Query(("limit", r.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cursor", r.GetValue(cursor)))}", null));
        command.Subcommands.Add(put);
        command.Subcommands.Add(get);
        command.Subcommands.Add(list);
        command.Subcommands.Add(Simple("versions", "List every version of a policy", name, r => (HttpMethod.Get, $"policies/{Uri.EscapeDataString(r.GetValue(name)!)}/versions", null)));
        return command;
    }

    /// <summary>The document from a file or standard input, within the server's size limit.</summary>
    private static async Task<string> ReadPolicyAsync(string path, CancellationToken cancellationToken)
    {
        const int MaxBytes = 1024 * 1024;
        if (path == "-")
        {
            var buffer = new char[MaxBytes + 1];
            var read = await Console.In.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
            return read > MaxBytes ? throw new AdminUsageException($"the policy document is larger than {MaxBytes} bytes") : new string(buffer, 0, read);
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new AdminUsageException($"'{path}' does not exist");
        }

        return info.Length > MaxBytes
            ? throw new AdminUsageException($"'{path}' is larger than {MaxBytes} bytes")
            : await File.ReadAllTextAsync(info.FullName, cancellationToken);
    }

    private static Command Simple(string name, string description, Argument? argument,
        Func<ParseResult, (HttpMethod, string, JsonObject?)> request)
    {
        var command = new Command(name, description);
        if (argument is not null)
        {
            command.Arguments.Add(argument);
        }

        Run(command, request);
        return command;
    }

    private static void Run(Command command, Func<ParseResult, (HttpMethod Method, string Path, JsonObject? Body)> request) =>
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var (method, path, body) = request(result);
                using var client = Connection.CreateClient(result);
                return await client.SendAsync(method, path, body, cancellationToken);
            }
            catch (AdminUsageException e)
            {
                await Console.Error.WriteLineAsync($"bulwark admin: {e.Message}");
                return ExitCodes.UsageError;
            }
        });

    /// <summary>Reads a password from standard input (first line), so it never appears in the process list or shell history.</summary>
    private static string ReadPassword()
    {
        var line = Console.In.ReadLine();
        return string.IsNullOrEmpty(line) ? throw new AdminUsageException("no password on standard input") : line;
    }

    private static JsonArray Rules(string[]? rules)
    {
        var array = new JsonArray();
        foreach (var rule in rules ?? [])
        {
            var equals = rule.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new AdminUsageException($"--rule '{rule}' must be PATTERN=ACTION[,ACTION…]");
            }

            var actions = new JsonArray();
            foreach (var action in rule[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                actions.Add(action);
            }

            array.Add(new JsonObject { ["pattern"] = rule[..equals], ["actions"] = actions });
        }

        return array;
    }

    private static string Query(params (string Name, string? Value)[] parameters) =>
        string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
}
