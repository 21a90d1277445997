using System.CommandLine;

namespace Bulwark.Cli.Commands.Report;

/// <summary><c>bulwark report</c>: reports over a registry's images.</summary>
internal static class ReportCommand
{
    public static Command Create() => new("report", "Reports over a registry's images") { StaleReportCommand.Create() };
}
