namespace MinRnn.Tests;

/// <summary>The model library knows nothing of processes or of the command line: sweeps, leases and the child-process
/// starter live in the application layer (MinRnn.Application), which the CLI and the bench reference.</summary>
public class LayeringTests
{
    [Fact]
    public void CoreStartsNoProcessesAndHoldsNoSweeps()
    {
        var core = typeof(MinRnn.Cells.CellKinds).Assembly;
        Assert.Contains(core.GetReferencedAssemblies(), a => a.Name == "TorchSharp");        // the check can see references
        Assert.DoesNotContain(core.GetReferencedAssemblies(), a => a.Name == "System.Diagnostics.Process");
        Assert.DoesNotContain(core.GetTypes(), t => t.Namespace == "MinRnn.Sweeps");
        var application = typeof(MinRnn.Sweeps.SweepRunner).Assembly;
        Assert.Equal("MinRnn.Application", application.GetName().Name);
        Assert.Contains(application.GetReferencedAssemblies(), a => a.Name == "System.Diagnostics.Process");
    }
}
