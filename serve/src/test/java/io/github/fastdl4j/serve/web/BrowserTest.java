package io.github.fastdl4j.serve.web;

import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.http.ServeApp;
import io.github.fastdl4j.serve.testing.Http;
import io.github.fastdl4j.serve.testing.TrainedRuns;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.Mnist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages in a real browser: Selenium drives Debian's headless chromium (chromium and
 * chromium-driver; .ci/run installs them) against a server started here with small models,
 * one of whose movies is titled with a script tag. Screenshots go to target/screenshots.
 */
class BrowserTest {

    static final String SCRIPT_TITLE = "<script>alert(1)</script> (1955)";

    @TempDir
    static Path tmp;
    static final String TOKEN = "browser-token-4711";
    static ServeApp app;
    /** The same runs behind a server started with a token. */
    static ServeApp tokenApp;
    static ChromeDriver driver;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install -y chromium chromium-driver; .ci/run installs them)");
        }
        Path runs = tmp.resolve("runs");
        Path data = SyntheticRatings.write(tmp.resolve("ratings"), 60, 40, 20, 7);
        Path item = data.resolve("u.item");
        List<String> items = new ArrayList<>(Files.readAllLines(item, StandardCharsets.ISO_8859_1));
        items.set(4, items.get(4).replace("Movie 5 (1955)", SCRIPT_TITLE));
        Files.write(item, items, StandardCharsets.ISO_8859_1);
        CliRun t = CliRun.run(new CollabMain(), "collab", "train", "--ratings", data.toString(), "--epochs", "3", "--factors", "4",
                "--lr", "1e-2", "--out", runs.resolve("collab-web").toString());
        assertEquals(0, t.code(), t.err());
        TrainedRuns.copyTree(TrainedRuns.runs().resolve(TrainedRuns.TABULAR), runs.resolve(TrainedRuns.TABULAR));
        TrainedRuns.copyTree(TrainedRuns.runs().resolve(TrainedRuns.VISION), runs.resolve(TrainedRuns.VISION));
        app = ServeApp.start(new ServeConfig(List.of(runs), List.of(), "127.0.0.1", 0, null, tmp.resolve("fb"), 32, 5, 60_000,
                ServeConfig.Limits.defaults()));
        base = "http://127.0.0.1:" + app.port();
        tokenApp = ServeApp.start(new ServeConfig(List.of(runs), List.of(), "127.0.0.1", 0, TOKEN, tmp.resolve("fb2"), 32, 5, 60_000,
                ServeConfig.Limits.defaults()));
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1400", "--disable-gpu");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build();
        driver = new ChromeDriver(service, o);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (app != null) {
            app.close();
        }
        if (tokenApp != null) {
            tokenApp.close();
        }
    }

    @AfterEach
    void screenshotAndConsole(TestInfo info) throws Exception {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(info.getTestMethod().orElseThrow().getName() + ".png"), StandardCopyOption.REPLACE_EXISTING);
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertTrue(errors.isEmpty(), "browser console errors: " + errors);
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    private static void open(String path) {
        driver.get(base + path);
        if (path.startsWith("/run.html")) {
            waiting().until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
        }
    }

    @Test
    void theRunsListShowsTheModelsSortsAndFilters() {
        open("/");
        waiting().until(d -> d.findElements(By.cssSelector("#runs-table tbody tr")).size() == 3);
        List<String> ids = driver.findElements(By.cssSelector("#runs-table tbody tr")).stream().map(r -> r.getDomAttribute("data-id")).toList();
        assertEquals(List.of("collab-web", TrainedRuns.TABULAR, TrainedRuns.VISION), ids);
        driver.findElement(By.cssSelector("th[data-key=id]")).click(); // the same key again: descending
        assertEquals(TrainedRuns.VISION, driver.findElement(By.cssSelector("#runs-table tbody tr")).getDomAttribute("data-id"));
        driver.findElement(By.id("filter")).sendKeys("tabular");
        waiting().until(d -> d.findElements(By.cssSelector("#runs-table tbody tr")).size() == 1);
        driver.findElement(By.id("filter")).clear();
        driver.findElement(By.id("filter")).sendKeys(" ");
        waiting().until(d -> d.findElements(By.cssSelector("#runs-table tbody tr")).size() == 3);
        driver.findElements(By.cssSelector(".pick")).forEach(WebElement::click);
        driver.findElement(By.id("overlay")).click();
        waiting().until(d -> !d.findElements(By.cssSelector("#chart .uplot")).isEmpty());
    }

    @Test
    void theCollabPageHoversPcaTitlesAndShowsAScriptTitleAsText() {
        open("/run.html?id=collab-web");
        assertFalse(driver.findElements(By.cssSelector("#fit-table tbody tr")).isEmpty(), "the fit table");
        assertFalse(driver.findElements(By.cssSelector("#loss .uplot")).isEmpty(), "the loss chart");
        assertEquals(10, driver.findElements(By.cssSelector("#biases ol")).get(0).findElements(By.tagName("li")).size());
        // hover the first point drawn: its title shows
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript("return window.fastdl4jPca[0];");
        WebElement canvas = driver.findElement(By.id("pca"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", canvas);
        int dx = (int) Math.round(((Number) p.get("x")).doubleValue() - canvas.getSize().getWidth() / 2.0);
        int dy = (int) Math.round(((Number) p.get("y")).doubleValue() - canvas.getSize().getHeight() / 2.0);
        new Actions(driver).moveToElement(canvas, dx, dy).perform();
        WebElement tip = driver.findElement(By.id("pca-tip"));
        waiting().until(d -> tip.isDisplayed());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> near = (List<Map<String, Object>>) ((JavascriptExecutor) driver).executeScript(
                "const p = window.fastdl4jPca[0]; return window.fastdl4jPca.filter(q => (q.x-p.x)**2 + (q.y-p.y)**2 < 64);");
        String shown = tip.getText();
        assertTrue(near.stream().anyMatch(q -> shown.startsWith((String) q.get("title"))), shown + " vs " + near);
        // the script title is text, not a script
        driver.findElement(By.id("nu-search")).sendKeys("script");
        waiting().until(d -> !d.findElements(By.cssSelector("#nu-found li .title")).isEmpty());
        assertEquals(SCRIPT_TITLE, driver.findElement(By.cssSelector("#nu-found li .title")).getText());
        assertEquals(3L, ((JavascriptExecutor) driver).executeScript("return document.scripts.length;"), "no injected script");
    }

    @Test
    void ratingThreeMoviesAsANewUserShowsRecommendations() {
        open("/run.html?id=collab-web");
        driver.findElement(By.id("nu-search")).sendKeys("Movie 1");
        waiting().until(d -> d.findElements(By.cssSelector("#nu-found li")).size() >= 3);
        List<WebElement> found = driver.findElements(By.cssSelector("#nu-found li"));
        List<String> rated = new ArrayList<>();
        int[] ratings = {5, 4, 1};
        for (int i = 0; i < 3; i++) {
            WebElement li = found.get(i);
            rated.add(li.getDomAttribute("data-id"));
            li.findElement(By.cssSelector("button[data-rating='" + ratings[i] + "']")).click();
        }
        waiting().until(d -> d.findElements(By.cssSelector("#nu-rated li")).size() == 3);
        waiting().until(d -> d.findElements(By.cssSelector("#nu-recs li")).size() == 10);
        for (WebElement li : driver.findElements(By.cssSelector("#nu-recs li"))) {
            assertFalse(rated.contains(li.getDomAttribute("data-id")), "a rated movie recommended");
        }
    }

    @Test
    void theVisionPageShowsTheConfusionMatrixAndTopLosses() {
        open("/run.html?id=" + TrainedRuns.VISION);
        List<WebElement> rows = driver.findElements(By.cssSelector("#confusion tbody tr"));
        assertEquals(10, rows.size(), "a row per digit");
        long total = 0;
        for (WebElement r : rows) {
            List<WebElement> cells = r.findElements(By.tagName("td"));
            assertEquals(10, cells.size());
            for (WebElement c : cells) {
                total += Long.parseLong(c.getText());
            }
        }
        assertEquals(new Http(app.port()).get("/api/models/" + TrainedRuns.VISION + "/confusion").json().get("images").asLong(), total);
        waiting().until(d -> d.findElements(By.cssSelector("#top-losses img")).size() == 9);
        WebElement img = driver.findElement(By.cssSelector("#top-losses img"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView();", img);
        waiting().until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth;", img)).intValue() == 28);
    }

    @Test
    void drawingAVerticalStrokeGivesAPrediction() {
        open("/run.html?id=" + TrainedRuns.VISION);
        WebElement canvas = driver.findElement(By.id("draw"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", canvas);
        new Actions(driver).moveToElement(canvas, 0, -90).clickAndHold().moveByOffset(0, 60).moveByOffset(0, 60).moveByOffset(0, 60)
                .release().perform();
        waiting().until(d -> d.findElement(By.cssSelector("#draw-out .prediction")).getText().matches("\\d \\(\\d+\\.\\d%\\)"));
    }

    @Test
    void uploadingAnMnistTestPngShowsItsLabel() throws Exception {
        Mnist mnist = Mnist.sample();
        Http http = new Http(app.port());
        // a test digit the one-epoch model gets right
        for (int i = 0; ; i++) {
            Path png = tmp.resolve("digit" + i + ".png");
            ImageIO.write(DigitImage.toImage(mnist.rawTestImage(i)), "png", png.toFile());
            String label = http.post("/api/models/" + TrainedRuns.VISION + "/predict", "image/png", Files.readAllBytes(png)).json()
                    .get("predictions").get(0).get("label").asText();
            if (!label.equals(String.valueOf(mnist.testLabels()[i]))) {
                assertTrue(i < 30, "the model gets most digits right");
                continue;
            }
            open("/run.html?id=" + TrainedRuns.VISION);
            driver.findElement(By.id("upload")).sendKeys(png.toAbsolutePath().toString());
            waiting().until(d -> !d.findElements(By.cssSelector("#upload-out .prediction")).isEmpty());
            assertTrue(driver.findElement(By.cssSelector("#upload-out .prediction")).getText().startsWith(label + " ("),
                    driver.findElement(By.id("upload-out")).getText());
            return;
        }
    }

    @Test
    void theTabularFormPredictsARow() {
        open("/run.html?id=" + TrainedRuns.TABULAR);
        List<WebElement> selects = driver.findElements(By.cssSelector("#tab-form select"));
        assertTrue(selects.size() >= 5, "a choice per categorical column");
        for (WebElement number : driver.findElements(By.cssSelector("#tab-form input[type=number]"))) {
            number.sendKeys("40");
        }
        driver.findElement(By.cssSelector("#tab-form button[type=submit]")).click();
        waiting().until(d -> !d.findElements(By.cssSelector("#tab-out .prediction")).isEmpty());
        String p = driver.findElement(By.cssSelector("#tab-out .prediction")).getText();
        assertTrue(p.equals("salary: <50k") || p.equals("salary: >=50k"), p);
    }

    @Test
    void withATokenThePageAsksForItOnceAndShowsRunsAndCharts() {
        String tokenBase = "http://127.0.0.1:" + tokenApp.port();
        driver.get(tokenBase + "/");
        waiting().until(d -> !d.findElements(By.id("token-form")).isEmpty());
        assertTrue(driver.findElements(By.cssSelector("#runs-table")).isEmpty(), "no data before the token");
        // a wrong token: an error line, the form again
        driver.findElement(By.id("token")).sendKeys("not-the-token");
        driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        waiting().until(d -> "wrong token".equals(d.findElement(By.id("token-error")).getText()));
        assertTrue(driver.findElements(By.cssSelector("#runs-table")).isEmpty());
        driver.findElement(By.id("token")).sendKeys(TOKEN);
        driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#runs-table tbody tr")).size() == 3);
        assertTrue(driver.findElements(By.id("token-form")).isEmpty(), "the form is gone");
        assertFalse(driver.getCurrentUrl().contains(TOKEN), "never in the URL");
        // another page of the same tab: no prompt; the run's charts come as blobs fetched with the token
        driver.get(tokenBase + "/run.html?id=" + TrainedRuns.VISION);
        waiting().until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
        assertTrue(driver.findElements(By.id("token-form")).isEmpty(), "asked once per tab");
        waiting().until(d -> {
            WebElement img = d.findElement(By.cssSelector("img.chart"));
            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView();", img);
            return img.getDomProperty("src").startsWith("blob:")
                    && ((Number) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth;", img)).intValue() > 0;
        });
        // a stale token in the tab: the form again, with a line saying why
        ((JavascriptExecutor) driver).executeScript("sessionStorage.setItem('fastdl4j-token', 'stale');");
        driver.get(tokenBase + "/");
        waiting().until(d -> !d.findElements(By.id("token-form")).isEmpty());
        assertTrue(driver.findElement(By.id("token-error")).getText().contains("not accepted"));
    }
}
