namespace Keel.ML.Tests;

/// <summary>Model directories laid out exactly as <c>mlflow.onnx.log_model</c> (MLflow 2.12.2) writes them.</summary>
internal static class MlflowFixtures
{
    public const string OnnxClassifierMlModel = """
        artifact_path: model
        flavors:
          onnx:
            code: null
            data: model.onnx
            onnx_version: 1.16.0
            providers:
            - CUDAExecutionProvider
            - CPUExecutionProvider
          python_function:
            data: model.onnx
            env:
              conda: conda.yaml
              virtualenv: python_env.yaml
            loader_module: mlflow.onnx
            python_version: 3.11.7
        mlflow_version: 2.12.2
        model_size_bytes: 1467
        model_uuid: 5b1a8f3c2d4e4f6a9b8c7d6e5f4a3b2c
        run_id: 0f9e8d7c6b5a49382716f5e4d3c2b1a0
        saved_input_example_info:
          artifact_path: input_example.json
          pandas_orient: split
          type: dataframe
        signature:
          inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]},
            "name": "input"}]'
          outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name":
            "label"}, {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]},
            "name": "probabilities"}]'
          params: null
        utc_time_created: '2024-05-01 12:00:00.123456'
        """;

    public static string RegressorMlModel(string signatureInputs) => $$"""
        artifact_path: model
        flavors:
          onnx:
            code: null
            data: model.onnx
            onnx_version: 1.16.0
            providers:
            - CUDAExecutionProvider
            - CPUExecutionProvider
          python_function:
            data: model.onnx
            env:
              conda: conda.yaml
              virtualenv: python_env.yaml
            loader_module: mlflow.onnx
            python_version: 3.11.7
        mlflow_version: 2.12.2
        model_uuid: {{Guid.NewGuid():N}}
        run_id: 0f9e8d7c6b5a49382716f5e4d3c2b1a0
        signature:
          inputs: '{{signatureInputs}}'
          outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 1]}, "name": "variable"}]'
          params: null
        utc_time_created: '2024-05-01 12:00:00.123456'
        """;

    public static string WriteModelDirectory(string root, byte[] onnx, string mlmodel)
    {
        Directory.CreateDirectory(root);
        File.WriteAllBytes(Path.Combine(root, "model.onnx"), onnx);
        File.WriteAllText(Path.Combine(root, "MLmodel"), mlmodel);
        File.WriteAllText(Path.Combine(root, "conda.yaml"), "channels:\n- conda-forge\ndependencies:\n- python=3.11.7\n- pip<=24.0\n- pip:\n  - mlflow==2.12.2\n  - onnx==1.16.0\n  - onnxruntime==1.17.3\nname: mlflow-env\n");
        File.WriteAllText(Path.Combine(root, "python_env.yaml"), "python: 3.11.7\nbuild_dependencies:\n- pip==24.0\n- setuptools\n- wheel\ndependencies:\n- -r requirements.txt\n");
        File.WriteAllText(Path.Combine(root, "requirements.txt"), "mlflow==2.12.2\nonnx==1.16.0\nonnxruntime==1.17.3\n");
        return root;
    }
}
