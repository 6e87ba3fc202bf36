// The tests seed TorchSharp's global generator and then build models from it (Tiny.Model); test classes running in
// parallel would draw from the same generator in between and change the weights a test was written for (seen as a
// rare failure of PathKinksTests). One class at a time keeps every seeded model the same on every run.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
