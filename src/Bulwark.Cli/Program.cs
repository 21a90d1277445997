using System.CommandLine;
using Bulwark.Cli.Commands;
using Bulwark.Cli.Commands.Admin;
using Bulwark.Cli.Commands.Db;
using Bulwark.Cli.Commands.K8s;
using Bulwark.Cli.Commands.Policy;
using Bulwark.Cli.Commands.Report;
using Bulwark.Cli.Commands.Scan;
using Bulwark.Cli.Commands.Signing;

var root = new RootCommand("Bulwark: a private OCI registry that only lets approved images through.")
{
    ServeCommand.Create(),
    GcCommand.Create(),
    AuditCommand.Create(),
    AdminCommand.Create(),
    DbCommand.Create(),
    ScanCommand.Create(),
    SbomCommand.Create(),
    ScansCommand.Create(),
    KeygenCommand.Create(),
    SignCommand.Create(),
    VerifyCommand.Create(),
    K8sCommand.Create(),
    PolicyCommand.Create(),
    ReportCommand.Create(),
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Usage errors exit with 2, as every bulwark command does, not System.CommandLine's default of 1.
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"bulwark: {error.Message}");
    }

    return ExitCodes.UsageError;
}

return await parsed.InvokeAsync();
