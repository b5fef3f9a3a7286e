package attentionlab.experiments.config;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Format;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads YAML text into a tree strictly: one document, each key once per map, no aliases, finite
 * numbers. Jackson would otherwise keep the last of two equal keys, ignore a second document, read an
 * alias {@code *w} as the text "w", and stop at {@code .inf} without naming the key. Each problem is one
 * {@link UserError} line that starts with the key path. A UTF-8 byte order mark and CRLF line ends are
 * accepted.
 */
final class YamlReader {

    private YamlReader() {}

    /** The text of a config file (UTF-8, byte order mark dropped). */
    static String text(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("config file not found: " + file);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new UserError(file + ": not UTF-8 text; a config is a UTF-8 YAML file");
        } catch (IOException e) {
            throw new UserError("cannot read config " + file + ": " + e.getMessage());
        }
    }

    /**
     * @param mapper the mapper that builds the tree (its factory must detect duplicate keys)
     * @param prefix key path of the text's root ("" for a file, the key for a {@code --set} value)
     * @param source named after the problem: the file, or the {@code --set} option
     */
    static JsonNode read(YAMLMapper mapper, String text, String prefix, String source) {
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            scan(p, prefix, source);
        } catch (StreamReadException e) {
            throw new UserError(explain(e, prefix, source));
        } catch (IOException e) {
            throw new UserError(source + ": cannot read: " + e.getMessage());
        }
        try {
            return mapper.readTree(text);
        } catch (JacksonException e) {
            throw new UserError(source + ": not valid YAML: " + ConfigErrors.firstLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
    }

    /** Walks every token once: a second document, an alias or a number that does not parse is an error. */
    private static void scan(JsonParser p, String prefix, String source) throws IOException {
        int depth = 0;
        boolean documentEnded = false;
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            if (documentEnded) {
                throw new UserError(source + ": a second YAML document starts at line " + line(p)
                        + "; a config is one document (remove the '---' and what follows, or split the file)");
            }
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            } else if (t.isScalarValue()) {
                checkScalar(p, t, prefix, source);
            }
            documentEnded = depth == 0;
        }
    }

    private static void checkScalar(JsonParser p, JsonToken t, String prefix, String source) throws IOException {
        String key = path(p.getParsingContext(), prefix);
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            throw new UserError(key + ": the YAML alias *" + Format.clip(p.getText()) + " is not supported; write the value"
                    + " itself (" + source + ", line " + line(p) + ")");
        }
        if (t.isNumeric()) {
            try {
                p.getNumberValue();
            } catch (StreamReadException e) {
                throw new UserError(key + ": " + Format.clip(p.getText()) + " is not allowed; give a finite number ("
                        + source + ", line " + line(p) + ")");
            }
        }
    }

    /** A duplicate key (Jackson's strict duplicate detection) or a syntax error, with the key path where known. */
    private static String explain(StreamReadException e, String prefix, String source) {
        String message = ConfigErrors.firstLine(e.getOriginalMessage());
        String where = e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr();
        JsonParser p = e.getProcessor();
        if (message.startsWith("Duplicate field") && p != null) {
            return path(p.getParsingContext(), prefix) + ": duplicate key; each key may appear once in a map (" + source
                    + where + ")";
        }
        return source + ": not valid YAML: " + message + (where.isEmpty() ? "" : " (" + where.substring(2) + ")");
    }

    /** The key path of a parser position: {@code model.d_model}, {@code train.seeds[1]}. */
    static String path(JsonStreamContext context, String prefix) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, (c.getParent() != null && !c.getParent().inRoot() ? "." : "") + c.getCurrentName());
            }
        }
        String p = path.toString();
        if (prefix.isEmpty()) {
            return p.isEmpty() ? "config" : p;
        }
        return p.isEmpty() ? prefix : prefix + (p.startsWith("[") ? "" : ".") + p;
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
