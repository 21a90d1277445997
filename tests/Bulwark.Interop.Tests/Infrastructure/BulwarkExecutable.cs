using System.Reflection;

namespace Bulwark.Interop.Tests.Infrastructure;

/// <summary>The built <c>bulwark.dll</c> this test assembly was compiled against (see the project file).</summary>
public static class BulwarkExecutable
{
    public static string AssemblyPath
    {
        get
        {
            var assembly = typeof(BulwarkExecutable).Assembly
                .GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "BulwarkCliAssembly")?.Value;
            if (string.IsNullOrEmpty(assembly) || !File.Exists(assembly))
            {
                throw new InvalidOperationException(
                    $"bulwark.dll was not built (looked for '{assembly}'); build src/Bulwark.Cli, "
                    + $"or set {LiveRegistryFixture.KindVariable}=distribution to test against Debian's docker-registry");
            }

            return assembly;
        }
    }

    /// <summary>Runs <c>bulwark</c> with the given arguments to completion.</summary>
    public static Task<ToolResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null, string? standardInput = null) =>
        ToolProcess.RunAsync("dotnet", arguments.Prepend(AssemblyPath), cancellationToken, environment: environment, standardInput: standardInput);
}
