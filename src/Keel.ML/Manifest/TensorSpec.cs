namespace Keel.ML.Manifest;

/// <summary>
/// One tensor of a tensor-based MLflow signature, e.g.
/// <c>{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": "input"}</c>.
/// </summary>
/// <param name="Name">Tensor name; may be absent for a single unnamed tensor.</param>
/// <param name="Dtype">NumPy dtype name: float32, float64, int64, int32, bool, str, object.</param>
/// <param name="Shape">Dimensions; -1 marks a variable dimension (normally the batch).</param>
public sealed record TensorSpec(string? Name, string Dtype, IReadOnlyList<long> Shape);
