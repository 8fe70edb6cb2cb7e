"""The parameter and attribute documentation shared by every net's docstring.

The nets share one skorch base, so their training parameters are documented once, here,
and spliced into each estimator's numpydoc docstring.
"""

_MODULE_DOC = """
    module : torch.nn.Module class or None, default=None
        None builds the network the parameters below describe. A class of your own is
        built as ``module(lookback=..., n_columns=..., n_outputs=..., **module__kwargs)``
        and must map windows shaped ``(batch, lookback, n_columns)``, oldest step first,
        to ``(batch, n_outputs)`` (``horizon * len(quantiles)`` with the quantile loss,
        ``horizon * 2`` with the Gaussian one: each step's mean, then its log-scale).
        When ``X`` carries known-future calendar columns (``{feature}_step{k}``, which
        ``make_forecaster`` adds by default), it is also built with
        ``known_shape=(horizon, n_known)`` and called as ``forward(window, known)``,
        ``known`` shaped ``(batch, horizon, n_known)``, step 1 first; a module that takes
        neither is a ``TypeError`` at fit that says so.
"""

_SHARED_DOC = """
    n_columns : int or None, default=None
        Series per step of 2-D windows. None finds it at fit: from 3-D input, from
        ``WindowTransformer`` column names (``vix_lag0, sp500_return_lag0, vix_lag1,
        ...``) when pandas reaches the net, and otherwise from the rows themselves: in a
        window table each lag is the previous row's lag one step earlier (a scaler keeps
        that exact up to each column's affine map), which only the true ``n_columns``
        satisfies. When nothing proves a layout (shuffled rows, a projection such as a
        PCA, features that are not windows), each row is read as the window of one
        series and the recurrent nets warn. The lookback is never repeated: it is
        ``n_features / n_columns``.
    highway : bool, default=True
        Add a linear map of the window to the network's output, set to the least-squares
        fit on the training rows before training, so the net starts at the linear forecast
        and learns what it misses.
    standardize_target : bool, default=True
        Train on ``(y - mean) / sd`` with statistics of the training rows only; predictions
        come back in the original units.
    init : {"default", "xavier", "he", "orthogonal"}, default="default"
        Weight initialisation ("default" keeps PyTorch's).
    criterion : {"mse", "mae", "huber", "quantile", "gaussian"} or torch loss class, \
default="mse"
        The loss, on the standardized target. "quantile" trains one output per quantile
        (and per step) with the pinball loss; ``predict`` then returns the median and
        ``predict_quantiles`` those levels (sorted on each row, since levels trained
        separately may cross). "gaussian" trains a mean and a log-scale per step with
        the Gaussian negative log-likelihood (the highway carries the mean and the
        log-scale starts at the linear fit's residual spread); ``predict`` returns the
        mean and ``predict_quantiles`` any level of the normal distribution, in the
        target's units. Both make the net a quantile forecaster (see the glossary). A
        loss class is built with the ``criterion__*`` keyword arguments, e.g.
        ``criterion=torch.nn.HuberLoss, criterion__delta=0.5``.
    quantiles : sequence of float, default=(0.05, 0.5, 0.95)
        Increasing levels in (0, 1). With ``criterion="quantile"``: the levels trained,
        0.5 included, and the only ones ``predict_quantiles`` accepts. With
        ``criterion="gaussian"``: the levels ``predict_quantiles`` returns when it is
        given none. Ignored by the other losses.
    optimizer : {"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class, \
default="adam"
        Built with ``lr``, ``weight_decay`` and any ``optimizer__*`` keyword argument.
        Adam and AdamW use PyTorch's fused implementation where the device has one
        (``optimizer__fused=False`` turns it off).
    lr : float, default=3e-4
        Learning rate (measured against 1e-3 in the user guide's networks page).
    weight_decay : float, default=0.0
        L2 penalty passed to the optimizer.
    batch_size : int, default=64
        Training windows per gradient step (prediction uses larger batches).
    max_epochs : int, default=100
        Most passes over the training rows per ``fit`` (or per ``partial_fit`` call).
    patience : int or None, default=10
        Early stopping: stop after this many epochs without a better validation loss and
        restore the best weights (the untrained net, which starts at the highway's linear
        forecast, counts as a candidate). None trains all ``max_epochs``.
    validation_fraction : float, default=0.1
        The **latest** rows held out for early stopping (never a random split). 0 turns
        validation and early stopping off.
    purge : int or "auto", default="auto"
        Training rows dropped right before the validation block because their targets
        reach into it; "auto" is ``horizon - 1`` (the number of outputs minus one).
    gradient_clip : float or None, default=1.0
        Maximum L2 norm of the gradient; None does not clip.
    lr_schedule : {None, "plateau", "cosine"}, default=None
        Reduce the rate when the validation loss stalls, or cosine annealing.
    device : {"cpu", "cuda", "cuda:N", "mps", "auto"}, default="cpu"
        Resolved at fit into ``device_`` ("auto": cuda, else mps, else cpu); the
        parameter keeps the value given. A net trained on a GPU unpickles and predicts
        on a CPU-only machine.
    random_state : int, RandomState or None, default=None
        Seeds initialisation, shuffling and dropout (without touching PyTorch's global
        generator): on the CPU the same seed gives the same predictions.
    num_threads : int, "auto" or None, default="auto"
        PyTorch CPU threads during fit and predict, restored afterwards. "auto" is one
        thread, whatever else runs: beside another busy process the README's quick start
        takes 0.93-1.18 times its time alone with it, and 1.14-1.58 times with PyTorch's
        own default (a thread per core); on an idle machine the default is at times up
        to 20 % faster (benchmarks/results/threads.md). One thread also gives the same
        floating-point sums on every machine. None leaves PyTorch's setting (a thread
        per core, or joblib's and Dask's share in their workers).
    verbose : int, default=0
        1 prints a line per epoch and a progress bar.
    train_split : callable or None, default=None
        None validates on the latest rows as above; a skorch split (e.g.
        ``skorch.dataset.ValidSplit``) replaces that with skorch's behaviour.
    **kwargs
        Any other skorch ``NeuralNet`` parameter (``callbacks``, ``warm_start``,
        ``optimizer__momentum``, ``iterator_train``, ``module__*``...).
"""

_ATTRIBUTES_DOC = """
    Attributes
    ----------
    module_ : torch.nn.Module
        The trained network. Its buffers ``fitted_layout``, ``fitted_target_mean``,
        ``fitted_target_scale`` and ``fitted_feature_names`` carry what ``load_params``
        needs to rebuild a fitted net from the weights alone.
    history_ : skorch.History
        Per-epoch ``train_loss`` and ``valid_loss`` (standardized units) and timings.
    lookback_, n_columns_ : int
        The window layout read at fit.
    n_known_ : int
        Known-future calendar columns (``{feature}_step{k}``, after the window) read at
        fit, ``horizon`` steps of the same features. They are not a step of the window:
        step k's features reach output k only, through a weight vector per output that
        starts at the least-squares fit with the highway (at zero with
        ``highway=False``) and is trained with the network.
    n_outputs_ : int
        Number of forecast steps.
    target_mean_, target_scale_ : ndarray of shape (n_outputs_,)
        Target standardisation, from the training rows.
    device_ : str
        The device the net was trained on (or mapped to when unpickled without a GPU).
    n_features_in_ : int
        Number of columns of ``X`` seen in fit.
    feature_names_in_ : ndarray
        Column names of ``X``, when it has them.
"""
