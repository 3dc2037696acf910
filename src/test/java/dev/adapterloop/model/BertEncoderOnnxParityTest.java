package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.adapterloop.testing.BundledModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The encoder built from DJL blocks must reproduce ONNX Runtime's {@code last_hidden_state} on the original ONNX
 * file, padding positions included: this proves the importer's naming and transposition and the forward pass.
 */
class BertEncoderOnnxParityTest {

    private static final List<String> SENTENCES = List.of(
            "Congratulations! You have won a FREE cruise to the Bahamas. Reply now to claim your prize.",
            "Hi Bob, are we still on for lunch tomorrow?",
            "The quarterly report is attached; please review section 3 before Friday's meeting with the board.",
            "ok",
            "Unsubscribe here if you no longer wish to receive these offers for cheap prescription drugs online.");

    @Test
    void lastHiddenStateMatchesOnnxRuntime() throws Exception {
        PretrainedModel encoder = BundledModel.encoder();
        List<TokenizedText> texts = encoder.tokenizer().encode(SENTENCES);
        assertThat(texts.stream().mapToInt(TokenizedText::length).distinct().count())
                .as("sentences of different lengths, so the batch has padding").isGreaterThan(1);

        float[] ours;
        long[] ids;
        long[] mask;
        long[] shape;
        try (NDManager manager = encoder.manager().newSubManager()) {
            NDList batch = TextTokenizer.collate(texts, manager, 512);
            ids = batch.get(0).toLongArray();
            mask = batch.get(1).toLongArray();
            shape = batch.get(0).getShape().getShape();
            ours = encoder.backbone().forward(new ParameterStore(manager, false), batch.get(0), batch.get(1),
                    batch.get(2), false).toFloatArray();
        }

        float[] reference = onnxRuntime(ids, mask, shape);
        assertThat(ours).hasSameSizeAs(reference);
        double maxDiff = 0;
        for (int i = 0; i < ours.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ours[i] - reference[i]));
        }
        System.out.printf("max |DJL - ONNX Runtime| over %d values (%d x %d tokens x 384): %.3g%n", ours.length,
                shape[0], shape[1], maxDiff);
        assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
    }

    private static float[] onnxRuntime(long[] ids, long[] mask, long[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(BundledModel.onnxFile().toString(), new OrtSession.SessionOptions());
             OnnxTensor idTensor = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(ids), shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(mask), shape);
             OnnxTensor typeTensor = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(new long[ids.length]),
                     shape)) {
            Map<String, OnnxTensor> inputs = new java.util.HashMap<>();
            inputs.put("input_ids", idTensor);
            inputs.put("attention_mask", maskTensor);
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                java.nio.FloatBuffer buffer = hidden.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return values;
            }
        }
    }
}
