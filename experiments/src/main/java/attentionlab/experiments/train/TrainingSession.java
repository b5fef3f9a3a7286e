package attentionlab.experiments.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.dataset.SequenceSampler;
import ai.djl.translate.TranslateException;
import attentionlab.experiments.config.ExperimentConfig;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.model.ModelFactory;
import attentionlab.experiments.tasks.Examples;
import attentionlab.experiments.tasks.StepSampler;
import attentionlab.experiments.tasks.Task;
import attentionlab.experiments.tasks.TaskDataset;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.models.reference.ParameterNames;
import attentionlab.models.stack.SequenceModel;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything one run trains with: its config, task data, model, DJL trainer and optimizer, and the
 * step and wall-clock counters. Built fresh (parameters initialised from the seed) or restored from a
 * checkpoint. Close it to free the model's native memory.
 */
public final class TrainingSession implements AutoCloseable {

    private final RunDirectory dir;
    private final ExperimentConfig config;
    private final long seed;
    private final Task task;
    private final TaskDataset training;
    private final TaskDataset validation;
    private final Model model;
    private final SequenceModel block;
    private final Trainer trainer;
    private final AdamOptimizer optimizer;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<String> parameterNames = new ArrayList<>();
    private final Map<String, byte[]> initialWeights = new LinkedHashMap<>();
    private int stepsCompleted;
    private double wallTimeBefore;
    private long startNanos = System.nanoTime();
    private int stepsAtStart;

    /**
     * Builds the run's data and model and initialises the parameters from the seed.
     *
     * @throws IllegalArgumentException when the model cannot be initialised (e.g. W_o's width)
     */
    TrainingSession(RunDirectory dir, ExperimentConfig config) {
        this.dir = dir;
        this.config = config;
        this.seed = config.train().seeds().get(0);
        this.task = Tasks.create(config.task());
        EngineThreads.prepareForTraining();
        Engine.getInstance().setRandomSeed(Math.toIntExact(seed)); // seeds are 0 .. 2^31-1 (ConfigValidator)
        this.training = new TaskDataset(task.training(seed));
        this.validation = new TaskDataset(task.validation());
        this.block = ModelFactory.create(config.model(), task);
        this.model = Model.newInstance(config.experiment() + "-" + config.variant(), Device.cpu());
        try {
            model.setBlock(block);
            optimizer = new AdamOptimizer(config.train().beta1(), config.train().beta2(), config.train().epsilon(),
                    config.train().weightDecay());
            trainer = model.newTrainer(new DefaultTrainingConfig(new MaskedCrossEntropy())
                    .optOptimizer(optimizer)
                    .optDevices(new Device[] {Device.cpu()}));
            trainer.initialize(ModelFactory.inputShape(task, 1));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        block.getParameters().forEach(pair -> {
            if (pair.getValue().requiresGradient()) {
                parameters.add(pair.getValue());
                parameterNames.add(ParameterNames.readable(pair.getKey()));
            }
        });
        snapshotInitialWeights();
    }

    private void snapshotInitialWeights() {
        for (int i = 0; i < parameters.size(); i++) {
            initialWeights.put(parameterNames.get(i), parameters.get(i).getArray().toByteArray());
        }
    }

    /**
     * A new run whose config names {@code train.init_weights} starts from that file's weights (PyTorch
     * layout, {@link RunWeights}) instead of the seed's initialisation; they become its initial weights.
     *
     * @throws attentionlab.experiments.core.UserError naming the file and tensor if they do not fit
     */
    void startFromInitWeights() {
        String file = config.train().initWeights();
        if (file != null && !file.isEmpty()) {
            RunWeights.load(block, Path.of(file));
            snapshotInitialWeights();
        }
    }

    /** Writes checkpoint {@code step-<t>} of the current state, with the listeners' state. */
    void saveCheckpoint(Map<String, JsonNode> listenerState) {
        Checkpoints.save(dir.layout(), stepsCompleted, wallTime(), model, out -> optimizer.save(out, idToName()), listenerState,
                config);
    }

    /**
     * Replaces the freshly initialised state by the newest checkpoint's: parameters, optimizer moments,
     * step and wall time; the initial weights (for {@code unchanged_parameters}) come from step-0.
     *
     * @return the listeners' state saved with that checkpoint
     * @throws UserError if a checkpoint cannot be read or does not fit this run's model
     */
    JsonNode restoreLatest() {
        Path root = dir.layout().checkpoints();
        Path latest = Checkpoints.latest(root);
        Supplier<Block> block = () -> ModelFactory.create(config.model(), task);
        try (Checkpoints.Loaded checkpoint = Checkpoints.load(latest, block);
             Checkpoints.Loaded initial = Checkpoints.load(Checkpoints.initial(root), block)) {
            restore(checkpoint, initial);
            return checkpoint.listenerState();
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new UserError("cannot resume from checkpoint " + latest + ": " + e.getMessage());
        }
    }

    private void restore(Checkpoints.Loaded checkpoint, Checkpoints.Loaded initial) throws IOException {
        copyInto(checkpoint.model());
        initialWeights.clear();
        Map<String, Parameter> byName = byName();
        for (String name : parameterNames) {
            initialWeights.put(name, ParameterNames.find(initial.model().getBlock(), name).getArray().toByteArray());
        }
        try (var in = checkpoint.optimizerState()) {
            Map<String, String> ids = new LinkedHashMap<>();
            byName.forEach((name, p) -> ids.put(name, p.getId()));
            optimizer.load(in, model.getNDManager(), ids);
        }
        stepsCompleted = checkpoint.step();
        stepsAtStart = stepsCompleted;
        wallTimeBefore = checkpoint.wallTime();
        startNanos = System.nanoTime();
    }

    private void copyInto(Model source) {
        Map<String, Parameter> mine = byName();
        for (String name : parameterNames) {
            NDArray from = ParameterNames.find(source.getBlock(), name).getArray();
            NDArray to = mine.get(name).getArray();
            if (!from.getShape().equals(to.getShape())) {
                throw new IllegalStateException("checkpoint parameter " + name + " has shape " + from.getShape()
                        + " but the model expects " + to.getShape());
            }
            // an engine copy (index_put_): set(Buffer) would run PyTorch under the deprecated
            // AutoNonVariableTypeMode, which prints a six-line warning on every resume
            to.set(new NDIndex("..."), from);
        }
    }

    /** Parameter id -> readable name (for the optimizer state file). */
    private Map<String, String> idToName() {
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            names.put(parameters.get(i).getId(), parameterNames.get(i));
        }
        return names;
    }

    private Map<String, Parameter> byName() {
        Map<String, Parameter> map = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            map.put(parameterNames.get(i), parameters.get(i));
        }
        return map;
    }

    /** Parameters whose current weights equal their initial weights bit for bit. */
    public List<String> unchangedParameters() {
        List<String> unchanged = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            if (Arrays.equals(initialWeights.get(parameterNames.get(i)), parameters.get(i).getArray().toByteArray())) {
                unchanged.add(parameterNames.get(i));
            }
        }
        return unchanged;
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        return parameters.stream().mapToLong(p -> p.getArray().size()).sum();
    }

    void markStep(int step) {
        stepsCompleted = step;
    }

    /** Seconds of training so far, including time before a resume. */
    public double wallTime() {
        return wallTimeBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    /** Optimizer steps per second in this process. */
    public double stepsPerSecond() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? (stepsCompleted - stepsAtStart) / seconds : 0;
    }

    public RunDirectory dir() {
        return dir;
    }

    public ExperimentConfig config() {
        return config;
    }

    public long seed() {
        return seed;
    }

    public Task task() {
        return task;
    }

    /** The validation examples (the same for every seed). */
    public Examples validation() {
        return validation.examples();
    }

    /**
     * The training batches of steps {@code firstStep} .. train.steps, each a pure function of (seed, step)
     * ({@link StepSampler}); close each batch after its step.
     */
    Iterator<Batch> trainingBatches(int firstStep) {
        return batches(training, new StepSampler(config.train().batchSize(), seed, firstStep, config.train().steps()));
    }

    /** The validation set in order, train.batch_size examples per batch (the last one may be smaller). */
    public Iterator<Batch> validationBatches() {
        return batches(validation, new BatchSampler(new SequenceSampler(), config.train().batchSize(), false));
    }

    private Iterator<Batch> batches(TaskDataset dataset, Sampler sampler) {
        try {
            return dataset.getData(trainer.getManager(), sampler).iterator();
        } catch (IOException | TranslateException e) {
            throw new IllegalStateException("cannot read the task's examples", e);
        }
    }

    public Model model() {
        return model;
    }

    public SequenceModel block() {
        return block;
    }

    public Trainer trainer() {
        return trainer;
    }

    AdamOptimizer optimizer() {
        return optimizer;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public List<String> parameterNames() {
        return parameterNames;
    }

    public int stepsCompleted() {
        return stepsCompleted;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
