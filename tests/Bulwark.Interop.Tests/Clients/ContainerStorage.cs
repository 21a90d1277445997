namespace Bulwark.Interop.Tests.Clients;

/// <summary>
/// A private containers/storage for one podman or buildah test: its own <c>--root</c> and <c>--runroot</c>
/// in a temp directory with the vfs driver, so tests never see the machine's images or each other's.
/// </summary>
public sealed class ContainerStorage : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("bulwark-storage-");

    /// <summary>The global options that select this storage.</summary>
    public IReadOnlyList<string> Options =>
    [
        "--root", Path.Combine(directory.FullName, "root"),
        "--runroot", Path.Combine(directory.FullName, "run"),
        "--storage-driver", "vfs",
    ];

    /// <summary>podman also needs to be kept away from systemd and journald, which CI machines lack.</summary>
    public IReadOnlyList<string> PodmanOptions =>
        [.. Options, "--cgroup-manager", "cgroupfs", "--events-backend", "file"];

    public string TempPath(string name) => Path.Combine(directory.FullName, name);

    public void Dispose()
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test that used it.
        }
    }
}
