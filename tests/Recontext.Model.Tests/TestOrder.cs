// The model tests run one class at a time. Optimizer steps run in a no-GC region (OptimizerStep) because
// TorchSharp's AdamW makes Scalars it does not hold during native calls; another test class allocating in parallel
// (a tokenizer file, a checkpoint) could spend the region's budget, start a GC mid-step and fail the step with
// "Unknown scalar type" / "Expected false to be true" (seen in CI runs of this project).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
