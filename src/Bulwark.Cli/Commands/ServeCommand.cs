using System.CommandLine;
using Bulwark.Server;
using Bulwark.Server.Configuration;
using Microsoft.Extensions.Hosting;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark serve</c>: runs the registry server.</summary>
internal static class ServeCommand
{
    /// <summary>The first start's admin password, instead of a generated one.</summary>
    public const string AdminPasswordVariable = "BULWARK_ADMIN_PASSWORD";

    public static Command Create()
    {
        var flags = new ServerOptionFlags();
        var listen = new Option<string?>("--listen") { Description = "host:port to listen on (default 127.0.0.1:5000)" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate chain for HTTPS" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key for HTTPS" };
        var insecure = new Option<bool>("--insecure-http") { Description = "Allow plain HTTP on a non-loopback address" };
        var command = new Command("serve", "Run the Bulwark server");
        flags.AddTo(command);
        command.Options.Add(listen);
        command.Options.Add(tlsCert);
        command.Options.Add(tlsKey);
        command.Options.Add(insecure);
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var options = flags.Load(result);
                options.Listen = result.GetValue(listen) ?? options.Listen;
                options.Tls.Cert = result.GetValue(tlsCert) ?? options.Tls.Cert;
                options.Tls.Key = result.GetValue(tlsKey) ?? options.Tls.Key;
                options.InsecureHttp |= result.GetValue(insecure);
                options.Identity.InitialAdminPassword ??= Environment.GetEnvironmentVariable(AdminPasswordVariable) is { Length: > 0 } password
                    ? password
                    : null;
                await using var app = BulwarkServer.Build(options);
                await BulwarkServer.InitializeAsync(app, cancellationToken);
                await BulwarkServer.EnsureFirstAdminAsync(app, Console.Out, cancellationToken);
                await BulwarkServer.RecordStartAsync(app, cancellationToken);
                await app.StartAsync(cancellationToken);
                await app.WaitForShutdownAsync(cancellationToken);
                return ExitCodes.Success;
            }
            catch (ServerConfigurationException e)
            {
                await Console.Error.WriteLineAsync($"bulwark serve: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }
}
