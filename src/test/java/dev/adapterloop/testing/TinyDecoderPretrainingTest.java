package dev.adapterloop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.decoder.DecoderModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-to-end tests' decoder base model: pretraining lowers the loss and the folder loads as a decoder. */
class TinyDecoderPretrainingTest {

    @Test
    void pretrainingLearnsTheCorpusAndTheFolderLoads(@TempDir Path dir) throws Exception {
        List<String> texts = SpamSample.train(600).stream().map(LabeledExample::text).toList();
        long started = System.nanoTime();
        TinyDecoderPretraining.Result result = TinyDecoderPretraining.pretrain(texts, dir, 150, 1);
        System.out.printf("tiny decoder, %d parameters: pretraining loss %.3f -> %.3f in 150 steps, %.1f s%n",
                result.parameters(), result.firstLoss(), result.lastLoss(), (System.nanoTime() - started) / 1e9);
        assertThat(result.lastLoss()).isLessThan(result.firstLoss() - 1.5);
        try (PretrainedModel model = PretrainedModel.load(dir, Device.cpu())) {
            assertThat(model.backbone()).isInstanceOf(DecoderModel.class);
            assertThat(model.tokenizer().encode(List.of("Click here to win MONEY now")).getFirst().ids())
                    .doesNotContain(0L);
        }
    }
}
